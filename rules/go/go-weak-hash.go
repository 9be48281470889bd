package token

import (
	"crypto/md5"
	"crypto/sha256"
)

func Sign(secret []byte) ([16]byte, [32]byte) {
	// ruleid: go-weak-hash
	weak := md5.Sum(secret)
	// ok: go-weak-hash
	strong := sha256.Sum256(secret)
	return weak, strong
}
