import { Pool } from 'pg'

const pool = new Pool({ connectionString: process.env.DATABASE_URL })

export async function findOrders(customer: string) {
  const result = await pool.query(`SELECT id, total FROM orders WHERE customer = '${customer}'`)
  return result.rows
}

export async function findOrder(id: string) {
  const result = await pool.query('SELECT id, total FROM orders WHERE id = $1', [id])
  return result.rows[0]
}
