package client

import (
	"crypto/tls"
	"net/http"
)

func New() *http.Client {
	// ruleid: go-tls-verification-disabled
	insecure := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true}
	// ok: go-tls-verification-disabled
	secure := &tls.Config{MinVersion: tls.VersionTLS12}
	_ = secure
	return &http.Client{Transport: &http.Transport{TLSClientConfig: insecure}}
}
