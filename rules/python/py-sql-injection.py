import sqlite3


def find_user(conn: sqlite3.Connection, name: str, uid: str):
    cur = conn.cursor()
    # ruleid: py-sql-injection
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
    # ruleid: py-sql-injection
    cur.execute(f"SELECT * FROM users WHERE id = {uid}")
    query = "DELETE FROM users WHERE id = " + uid
    # ruleid: py-sql-injection
    cur.execute(query)
    # ok: py-sql-injection
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    return cur.fetchall()


def remove_user(conn: sqlite3.Connection, uid: str):
    # ruleid: py-sql-injection
    conn.execute("DELETE FROM users WHERE id = '" + uid + "'")
