// grype-test-db writes a Grype vulnerability database (schema v6, SQLite) through Grype's own v6 writer,
// holding one GitHub advisory for one package, so that tests can run the real Grype engine on a machine
// that cannot reach Anchore's database listing. Besides the raw vulnerability.db it writes what a
// listing URL serves: v6/latest.json and the archive it names, so `grype db update` can fetch it too.
//
//	<out>/vulnerability.db
//	<out>/listing/v6/latest.json
//	<out>/listing/v6/vulnerability-db_v<schema>_<built>.tar.gz
package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	v6 "github.com/anchore/grype/grype/db/v6"
)

func main() {
	out := flag.String("out", "", "directory to write into (created)")
	builtAt := flag.String("built-at", "", "the DB's build time, RFC 3339 (default: now)")
	ecosystem := flag.String("ecosystem", "npm", "package ecosystem as Grype's GitHub provider names it")
	pkg := flag.String("package", "lodash", "package name")
	id := flag.String("id", "GHSA-35jh-r3h4-6jhm", "advisory id")
	alias := flag.String("alias", "CVE-2021-23337", "CVE the advisory is about ('' for none)")
	affected := flag.String("affected", "<4.17.21", "affected version constraint")
	fixed := flag.String("fixed", "4.17.21", "fixed version ('' when no fix is known)")
	severity := flag.String("severity", "high", "qualitative severity: critical, high, medium, low, negligible")
	flag.Parse()
	if *out == "" {
		fail(fmt.Errorf("-out is required"))
	}
	built := time.Now().UTC().Round(time.Second)
	if *builtAt != "" {
		parsed, err := time.Parse(time.RFC3339, *builtAt)
		if err != nil {
			fail(fmt.Errorf("-built-at: %w", err))
		}
		built = parsed.UTC().Round(time.Second)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	record := advisory{*ecosystem, *pkg, *id, *alias, *affected, *fixed, *severity}
	if err := writeDB(*out, record, built); err != nil {
		fail(err)
	}
	if err := writeListing(*out, built); err != nil {
		fail(err)
	}
}

type advisory struct{ ecosystem, pkg, id, alias, affected, fixed, severity string }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "grype-test-db:", err)
	os.Exit(1)
}

func writeDB(dir string, a advisory, built time.Time) error {
	path := filepath.Join(dir, v6.VulnerabilityDBFileName)
	_ = os.Remove(path)
	writer, err := v6.NewWriter(v6.Config{DBDirPath: dir})
	if err != nil {
		return err
	}
	provider := &v6.Provider{ID: "github", Version: "1", Processor: "grype-test-db", DateCaptured: &built}
	vulnerability := &v6.VulnerabilityHandle{
		Name:          a.id,
		Status:        v6.VulnerabilityActive,
		PublishedDate: &built,
		ModifiedDate:  &built,
		Provider:      provider,
		BlobValue: &v6.VulnerabilityBlob{
			ID:          a.id,
			Description: fmt.Sprintf("%s before %s is vulnerable (test advisory)", a.pkg, a.fixed),
			References:  []v6.Reference{{URL: "https://github.com/advisories/" + a.id}},
			Severities:  []v6.Severity{{Scheme: v6.SeveritySchemeCHMLN, Value: a.severity, Rank: 1}},
		},
	}
	if a.alias != "" {
		vulnerability.BlobValue.Aliases = []string{a.alias}
	}
	if err := writer.AddVulnerabilities(vulnerability); err != nil {
		return err
	}
	fix := &v6.Fix{State: v6.NotFixedStatus}
	if a.fixed != "" {
		fix = &v6.Fix{Version: a.fixed, State: v6.FixedStatus}
	}
	blob := &v6.PackageBlob{Ranges: []v6.Range{{Version: v6.Version{Type: "semver", Constraint: a.affected}, Fix: fix}}}
	if a.alias != "" {
		blob.CVEs = []string{a.alias}
	}
	if err := writer.AddAffectedPackages(&v6.AffectedPackageHandle{
		Vulnerability: vulnerability,
		Package:       &v6.Package{Ecosystem: a.ecosystem, Name: a.pkg},
		BlobValue:     blob,
	}); err != nil {
		return err
	}
	if err := writer.Close(); err != nil {
		return err
	}
	// The writer stamps the build time as now; the age tests need an older one.
	low, err := v6.NewLowLevelDB(path, false, true, false)
	if err != nil {
		return err
	}
	if err := low.Model(&v6.DBMetadata{}).Where("true").Update("build_timestamp", built).Error; err != nil {
		return err
	}
	sqlDB, err := low.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// writeListing writes what Grype's distribution client reads: latest.json naming a tar.gz of the DB by
// its path relative to the listing and its sha256.
func writeListing(dir string, built time.Time) error {
	listing := filepath.Join(dir, "listing", fmt.Sprintf("v%d", v6.ModelVersion))
	if err := os.MkdirAll(listing, 0o755); err != nil {
		return err
	}
	schema := fmt.Sprintf("v%d.%d.%d", v6.ModelVersion, v6.Revision, v6.Addition)
	name := fmt.Sprintf("vulnerability-db_%s_%s.tar.gz", schema, built.Format("2006-01-02T15-04-05Z"))
	sum, err := writeArchive(filepath.Join(dir, v6.VulnerabilityDBFileName), filepath.Join(listing, name), built)
	if err != nil {
		return err
	}
	latest, err := json.MarshalIndent(map[string]string{
		"status":        "active",
		"schemaVersion": schema,
		"built":         built.Format(time.RFC3339),
		"path":          name,
		"checksum":      "sha256:" + sum,
	}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(listing, "latest.json"), latest, 0o644)
}

func writeArchive(dbFile, archive string, built time.Time) (string, error) {
	data, err := os.ReadFile(dbFile)
	if err != nil {
		return "", err
	}
	file, err := os.Create(archive)
	if err != nil {
		return "", err
	}
	defer file.Close()
	hash := sha256.New()
	gz := gzip.NewWriter(io.MultiWriter(file, hash))
	tw := tar.NewWriter(gz)
	header := &tar.Header{Name: v6.VulnerabilityDBFileName, Mode: 0o644, Size: int64(len(data)), ModTime: built}
	if err := tw.WriteHeader(header); err != nil {
		return "", err
	}
	if _, err := tw.Write(data); err != nil {
		return "", err
	}
	if err := tw.Close(); err != nil {
		return "", err
	}
	if err := gz.Close(); err != nil {
		return "", err
	}
	return hex.EncodeToString(hash.Sum(nil)), nil
}
