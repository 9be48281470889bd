import { Pool } from 'pg'
const pool = new Pool()

export async function find(id: string, name: string) {
  // ruleid: js-sql-injection
  await pool.query('SELECT * FROM users WHERE id = ' + id)
  // ruleid: js-sql-injection
  await pool.query(`SELECT * FROM users WHERE name = '${name}'`)
  // ok: js-sql-injection
  await pool.query('SELECT * FROM users WHERE id = $1', [id])
  // ok: js-sql-injection
  console.log('SELECT happened for ' + id)
}

export async function remove(id: string) {
  // ruleid: js-sql-injection
  await pool.query("DELETE FROM users WHERE id = '" + id + "'")
}
