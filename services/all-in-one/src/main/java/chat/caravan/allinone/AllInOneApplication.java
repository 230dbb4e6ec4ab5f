package chat.caravan.allinone;

import chat.caravan.common.CaravanApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * Every route group in one JVM. The single-service application classes are skipped by the scan, so their beans
 * are found once through their packages.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(basePackages = "chat.caravan",
        excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootApplication.class))
public class AllInOneApplication {

    public static void main(String[] args) {
        CaravanApplication.run(AllInOneApplication.class, CaravanApplication.ALL_IN_ONE, args);
    }
}
