"""Demo API with deliberate flaws (see ../EXPECTED.md). Do not deploy."""
import hashlib
import pickle
import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/users")
def users():
    conn = sqlite3.connect("app.db")
    name = request.args.get("name", "")
    rows = conn.execute("SELECT id, name FROM users WHERE name = '%s'" % name).fetchall()
    return {"users": rows}


@app.route("/export", methods=["POST"])
def export():
    fmt = request.form["format"]
    subprocess.run(f"./export.sh --format {fmt}", shell=True, check=True)
    return "started"


@app.route("/session", methods=["POST"])
def session():
    state = pickle.loads(request.get_data())
    return {"user": state.get("user")}


def api_token_digest(token: str) -> str:
    return hashlib.sha1(token.encode()).hexdigest()


def etag(body: bytes) -> str:
    return hashlib.md5(body, usedforsecurity=False).hexdigest()


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000, debug=True)
