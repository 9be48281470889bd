// trivy-test-db writes a vulnerability database in Trivy's format (schema 2: a BoltDB trivy.db and its
// metadata.json) holding the advisories it is given, so that tests can run `trivy image
// --skip-db-update` for real on a machine that cannot download Trivy's own database.
//
// Layout written, as Trivy reads it:
//
//	bucket "<ecosystem>::<source name>" / bucket "<package>" / key "<vulnerability id>" → advisory JSON
//	bucket "data-source" / key "<ecosystem>::<source name>" → data source JSON
//	bucket "vulnerability" / key "<vulnerability id>" → title, severity, CVSS, references
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

type advisory struct {
	VulnerableVersions []string `json:",omitempty"`
	PatchedVersions    []string `json:",omitempty"`
}

type dataSource struct {
	ID   string
	Name string
	URL  string
}

type cvss struct {
	V3Vector string  `json:",omitempty"`
	V3Score  float64 `json:",omitempty"`
}

type vulnerability struct {
	Title          string
	Description    string
	Severity       string
	VendorSeverity map[string]int  `json:",omitempty"`
	CVSS           map[string]cvss `json:",omitempty"`
	CweIDs         []string        `json:",omitempty"`
	References     []string        `json:",omitempty"`
}

type metadata struct {
	Version      int
	NextUpdate   time.Time
	UpdatedAt    time.Time
	DownloadedAt time.Time
}

var severities = map[string]int{"UNKNOWN": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3, "CRITICAL": 4}

func put(tx *bolt.Tx, path []string, key string, value any) error {
	bucket, err := tx.CreateBucketIfNotExists([]byte(path[0]))
	if err != nil {
		return err
	}
	for _, name := range path[1:] {
		if bucket, err = bucket.CreateBucketIfNotExists([]byte(name)); err != nil {
			return err
		}
	}
	bytes, err := json.Marshal(value)
	if err != nil {
		return err
	}
	return bucket.Put([]byte(key), bytes)
}

func main() {
	out := flag.String("out", "", "directory to write trivy.db and metadata.json into (created)")
	updated := flag.String("updated-at", "", "UpdatedAt, RFC 3339 (default: now)")
	ecosystem := flag.String("ecosystem", "npm", "Trivy's ecosystem prefix (npm, pip, go, …)")
	pkg := flag.String("package", "lodash", "package name")
	id := flag.String("id", "CVE-2021-23337", "vulnerability id")
	vulnerable := flag.String("vulnerable", "<4.17.21", "vulnerable version range")
	patched := flag.String("patched", "4.17.21", "first fixed version")
	severity := flag.String("severity", "HIGH", "UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL")
	score := flag.Float64("score", 7.2, "CVSS v3 base score")
	title := flag.String("title", "Command Injection in lodash", "title")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: trivy-test-db -out DIR [flags]")
		os.Exit(2)
	}
	rank, known := severities[*severity]
	if !known {
		fmt.Fprintf(os.Stderr, "unknown severity %q\n", *severity)
		os.Exit(2)
	}
	updatedAt := time.Now().UTC().Truncate(time.Second)
	if *updated != "" {
		parsed, err := time.Parse(time.RFC3339, *updated)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		updatedAt = parsed.UTC()
	}
	if err := write(*out, updatedAt, *ecosystem, *pkg, *id, *vulnerable, *patched, *severity, rank, *score, *title); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func write(out string, updatedAt time.Time, ecosystem, pkg, id, vulnerable, patched, severity string, rank int, score float64, title string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	db, err := bolt.Open(filepath.Join(out, "trivy.db"), 0o644, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return err
	}
	source := ecosystem + "::GitHub Security Advisory " + ecosystem
	err = db.Update(func(tx *bolt.Tx) error {
		if err := put(tx, []string{source, pkg}, id, advisory{VulnerableVersions: []string{vulnerable}, PatchedVersions: []string{patched}}); err != nil {
			return err
		}
		if err := put(tx, []string{"data-source"}, source, dataSource{ID: "ghsa", Name: "GitHub Security Advisory " + ecosystem, URL: "https://github.com/advisories?query=type%3Areviewed+ecosystem%3A" + ecosystem}); err != nil {
			return err
		}
		return put(tx, []string{"vulnerability"}, id, vulnerability{
			Title:          title,
			Description:    "A test advisory written by secure-pipeline's trivy-test-db.",
			Severity:       severity,
			VendorSeverity: map[string]int{"ghsa": rank},
			CVSS:           map[string]cvss{"ghsa": {V3Score: score}},
			References:     []string{"https://github.com/advisories/" + id},
		})
	})
	if closeErr := db.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return err
	}
	meta, err := json.Marshal(metadata{Version: 2, UpdatedAt: updatedAt, NextUpdate: updatedAt.Add(24 * time.Hour)})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "metadata.json"), meta, 0o644)
}
