// Demo worker with deliberate flaws (see ../EXPECTED.md). Do not deploy.
package main

import (
	"crypto/tls"
	"database/sql"
	"fmt"
	"net/http"
	"os/exec"
)

func client() *http.Client {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
}

func convert(name string) ([]byte, error) {
	return exec.Command("sh", "-c", "convert /data/"+name+" /data/out.png").Output()
}

func jobsFor(db *sql.DB, owner string) (*sql.Rows, error) {
	return db.Query(fmt.Sprintf("SELECT id FROM jobs WHERE owner = '%s'", owner))
}

func main() {
	_ = client()
	_, _ = convert("in.jpg")
}
