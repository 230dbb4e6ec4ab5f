package chat.caravan.core.settings;

import java.util.List;

/** The settings Caravan's services and Rocket.Chat's clients read, with their defaults and whether they are public. */
final class DefaultSettings {

    record Setting(String id, String type, Object value, boolean isPublic, String group) {
    }

    static final List<Setting> ALL = List.of(
            new Setting("Site_Name", "string", "Caravan", true, "General"),
            new Setting("Site_Url", "string", "http://localhost:3000", true, "General"),
            new Setting("Language", "language", "en", true, "General"),
            new Setting("API_Default_Count", "int", 50, false, "General"),
            new Setting("API_Upper_Count_Limit", "int", 100, false, "General"),
            new Setting("API_Allow_Infinite_Count", "boolean", true, false, "General"),
            new Setting("UTF8_User_Names_Validation", "string", "[0-9a-zA-Z-_.]+", true, "General"),
            new Setting("UTF8_Channel_Names_Validation", "string", "[0-9a-zA-Z-_.]+", true, "General"),
            new Setting("Accounts_RegistrationForm", "select", "Public", true, "Accounts"),
            new Setting("Accounts_LoginExpiration", "int", 90, true, "Accounts"),
            new Setting("Accounts_AllowAnonymousRead", "boolean", false, true, "Accounts"),
            new Setting("Accounts_RequireNameForSignUp", "boolean", true, true, "Accounts"),
            new Setting("Accounts_AllowUserStatusMessageChange", "boolean", true, true, "Accounts"),
            new Setting("Accounts_AllowInvisibleStatusOption", "boolean", true, true, "Accounts"),
            new Setting("Accounts_Registration_Users_Default_Roles", "string", "user", false, "Accounts"),
            new Setting("Block_Multiple_Failed_Logins_Enabled", "boolean", true, false, "Accounts"),
            new Setting("Block_Multiple_Failed_Logins_By_User", "boolean", true, false, "Accounts"),
            new Setting("Block_Multiple_Failed_Logins_By_Ip", "boolean", true, false, "Accounts"),
            new Setting("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", "int", 10, false, "Accounts"),
            new Setting("Block_Multiple_Failed_Logins_Attempts_Until_Block_By_Ip", "int", 50, false, "Accounts"),
            new Setting("Block_Multiple_Failed_Logins_Time_To_Unblock_By_User_In_Minutes", "int", 5, false, "Accounts"),
            new Setting("Block_Multiple_Failed_Logins_Time_To_Unblock_By_Ip_In_Minutes", "int", 5, false, "Accounts"),
            new Setting("Block_Multiple_Failed_Logins_Ip_Whitelist", "string", "", false, "Accounts"),
            new Setting("DDP_Rate_Limit_IP_Enabled", "boolean", true, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_IP_Requests_Allowed", "int", 120000, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_IP_Interval_Time", "int", 60000, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_User_Enabled", "boolean", true, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_User_Requests_Allowed", "int", 1200, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_User_Interval_Time", "int", 60000, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_Connection_Enabled", "boolean", true, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_Connection_Requests_Allowed", "int", 600, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_Connection_Interval_Time", "int", 60000, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_User_By_Method_Enabled", "boolean", true, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_User_By_Method_Requests_Allowed", "int", 20, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_User_By_Method_Interval_Time", "int", 10000, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_Connection_By_Method_Enabled", "boolean", true, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_Connection_By_Method_Requests_Allowed", "int", 10, false, "Rate Limiter"),
            new Setting("DDP_Rate_Limit_Connection_By_Method_Interval_Time", "int", 10000, false, "Rate Limiter"),
            new Setting("API_Enable_Rate_Limiter", "boolean", true, false, "Rate Limiter"),
            new Setting("API_Enable_Rate_Limiter_Dev", "boolean", true, false, "Rate Limiter"),
            new Setting("API_Enable_Rate_Limiter_Limit_Calls_Default", "int", 10, false, "Rate Limiter"),
            new Setting("API_Enable_Rate_Limiter_Limit_Time_Default", "int", 60000, false, "Rate Limiter"),
            new Setting("Message_MaxAllowedSize", "int", 5000, true, "Message"),
            new Setting("Message_AllowEditing", "boolean", true, true, "Message"),
            new Setting("Message_AllowEditing_BlockEditInMinutes", "int", 0, true, "Message"),
            new Setting("Message_AllowDeleting", "boolean", true, true, "Message"),
            new Setting("Message_AllowDeleting_BlockDeleteInMinutes", "int", 0, true, "Message"),
            new Setting("Message_AllowPinning", "boolean", true, true, "Message"),
            new Setting("Message_AllowStarring", "boolean", true, true, "Message"),
            new Setting("Message_KeepHistory", "boolean", false, true, "Message"),
            new Setting("Message_ShowDeletedStatus", "boolean", false, true, "Message"),
            new Setting("Threads_enabled", "boolean", true, true, "Message"),
            new Setting("DirectMesssage_maxUsers", "int", 8, true, "Message"),
            new Setting("Hide_System_Messages", "multiSelect", List.of(), true, "Message"),
            new Setting("Store_Last_Message", "boolean", true, true, "General"),
            new Setting("Show_Setup_Wizard", "select", "completed", true, "Setup_Wizard"));

    private DefaultSettings() {
    }
}
