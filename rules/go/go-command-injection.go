package main

import (
	"net/http"
	"os/exec"
)

func handler(w http.ResponseWriter, r *http.Request) {
	host := r.URL.Query().Get("host")
	// ruleid: go-command-injection
	out, _ := exec.Command("sh", "-c", "ping -c 1 "+host).Output()
	// ok: go-command-injection
	safe, _ := exec.Command("ping", "-c", "1", host).Output()
	// ok: go-command-injection
	fixed, _ := exec.Command("sh", "-c", "uptime").Output()
	w.Write(append(append(out, safe...), fixed...))
}
