// Demo billing code with deliberate flaws (see ../../../../../../EXPECTED.md). Do not deploy.
package com.example.billing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

public class InvoiceRepository {
    private final Connection conn;

    public InvoiceRepository(Connection conn) {
        this.conn = conn;
    }

    public ResultSet byCustomer(String customer) throws SQLException {
        Statement stmt = conn.createStatement();
        return stmt.executeQuery("SELECT * FROM invoices WHERE customer = '" + customer + "'");
    }

    public Object restore(byte[] snapshot) throws IOException, ClassNotFoundException {
        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(snapshot));
        return in.readObject();
    }

    public byte[] checksum(byte[] invoice) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("MD5").digest(invoice);
    }
}
