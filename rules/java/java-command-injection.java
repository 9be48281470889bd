import java.io.IOException;

public class Ping {
    public Process ping(String host) throws IOException {
        // ruleid: java-command-injection
        Runtime.getRuntime().exec("ping -c 1 " + host);
        // ruleid: java-command-injection
        new ProcessBuilder("sh", "-c", "ping -c 1 " + host).start();
        // ok: java-command-injection
        return new ProcessBuilder("ping", "-c", "1", host).start();
    }
}
