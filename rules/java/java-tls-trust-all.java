import java.security.cert.X509Certificate;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;

public class TrustAll implements X509TrustManager, HostnameVerifier {
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        throw new UnsupportedOperationException();
    }

    // ruleid: java-tls-trust-all
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    // ok: java-tls-trust-all
    public void checkServerTrusted(X509Certificate[] chain, String authType, String host) throws java.security.cert.CertificateException {
        if (chain.length == 0) throw new java.security.cert.CertificateException("empty chain");
    }

    // ok: java-tls-trust-all
    public boolean verify(String hostname) { return hostname.endsWith(".example.com"); }

    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    // ruleid: java-tls-trust-all
    public boolean verify(String hostname, SSLSession session) { return true; }
}
