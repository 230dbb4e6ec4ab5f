package chat.caravan.core.files;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Removes uploads, bytes and records together: when their message is deleted, or a temporary upload expires. */
@Component
public class StoredFiles {

    private static final Logger LOG = LoggerFactory.getLogger(StoredFiles.class);

    private final FileStores stores;
    private final UploadRecords records;

    public StoredFiles(FileStores stores, UploadRecords records) {
        this.stores = stores;
        this.records = records;
    }

    /** Removes an upload's bytes and record, and those of its thumbnails. */
    public void delete(String fileId) {
        Document record = records.find(fileId);
        if (record == null) {
            return;
        }
        stores.of(record.getString(UploadRecords.STORE)).delete(FileStore.Bucket.UPLOADS, fileId);
        records.remove(fileId);
        for (Document thumb : records.collection().find(new Document(UploadRecords.ORIGINAL_FILE_ID, fileId))) {
            stores.of(thumb.getString(UploadRecords.STORE)).delete(FileStore.Bucket.UPLOADS, thumb.getString("_id"));
            records.remove(thumb.getString("_id"));
        }
        LOG.info("upload {} deleted", fileId);
    }

    /** Deletes every stored file a message carries ({@code files}, else {@code file}). */
    public void deleteFilesOf(Document message) {
        if (message.get("files") instanceof List<?> list) {
            for (Object file : list) {
                if (file instanceof Document doc && doc.getString("_id") != null) {
                    delete(doc.getString("_id"));
                }
            }
        } else if (message.get("file") instanceof Document file && file.getString("_id") != null) {
            delete(file.getString("_id"));
        }
    }

    /**
     * Removes temporary uploads ({@code rooms.media}) never confirmed within their day, a hundred at a time until none
     * is left; answers how many went. Run by the {@code files-sweep-unconfirmed} route.
     */
    public int removeExpired() {
        int removed = 0;
        while (true) {
            List<String> ids = new ArrayList<>();
            for (Document record : records.expired(100)) {
                ids.add(record.getString("_id"));
            }
            ids.forEach(this::delete);
            removed += ids.size();
            if (ids.size() < 100) {
                return removed;
            }
        }
    }
}
