package store

import (
	"database/sql"
	"fmt"
)

func Find(db *sql.DB, name string) (*sql.Rows, error) {
	// ruleid: go-sql-injection
	rows, err := db.Query(fmt.Sprintf("SELECT * FROM users WHERE name = '%s'", name))
	if err != nil {
		return nil, err
	}
	rows.Close()
	// ok: go-sql-injection
	return db.Query("SELECT * FROM users WHERE name = $1", name)
}

func Delete(db *sql.DB, id string) error {
	q := "DELETE FROM users WHERE id = " + id
	// ruleid: go-sql-injection
	_, err := db.Exec(q)
	return err
}
