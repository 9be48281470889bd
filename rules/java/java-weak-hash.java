import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

public class Digests {
    public byte[] weak(byte[] data) throws NoSuchAlgorithmException {
        // ruleid: java-weak-hash
        return MessageDigest.getInstance("MD5").digest(data);
    }

    public byte[] strong(byte[] data) throws NoSuchAlgorithmException {
        // ok: java-weak-hash
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
