/**
 * A throwaway PostgreSQL server for tests, from the distribution's `postgresql` package
 * (`.ci/run` installs it): initdb into a temporary folder, pg_ctl on a free loopback port,
 * stopped and deleted at the end. PostgreSQL refuses to run as root, so as root it runs as the
 * `postgres` user the package creates.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface PostgresServer {
  readonly url: string
  /** Run SQL with psql; rows as lines of `|`-separated fields. */
  readonly sql: (query: string) => Array<string>
  readonly stop: () => void
}

/** The newest installed server's bin folder, if any. */
const binFolder = (): string | undefined => {
  const base = "/usr/lib/postgresql"
  if (!existsSync(base)) return undefined
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(base, versions[0], "bin")
}

const isRoot = (): boolean => process.getuid?.() === 0

/** Why a server cannot be started here, or undefined when it can. */
export const postgresUnavailable = (): string | undefined => {
  if (binFolder() === undefined) return "PostgreSQL is not installed (Debian: apt-get install postgresql; .ci/run does this)"
  if (isRoot() && spawnSync("id", ["-u", "postgres"]).status !== 0) return "running as root and there is no postgres user to run the server as"
  return undefined
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

export const startPostgres = async (): Promise<PostgresServer> => {
  const bin = binFolder()!
  const folder = mkdtempSync(join(tmpdir(), "accelforge-pg-"))
  const asServer = (command: string, args: ReadonlyArray<string>) =>
    isRoot() ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, command), ...args], { stdio: "pipe" }) : execFileSync(join(bin, command), args, { stdio: "pipe" })
  if (isRoot()) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString())
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString())
    chownSync(folder, uid, gid)
  }
  chmodSync(folder, 0o700)
  const data = join(folder, "data")
  asServer("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"])
  const port = await freePort()
  // fsync off: a test database, thrown away afterwards.
  asServer("pg_ctl", ["-D", data, "-l", join(folder, "server.log"), "-w", "-o", `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, "start"])
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  return {
    url,
    sql: (query) =>
      execFileSync(join(bin, "psql"), ["-X", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-c", query], { encoding: "utf8" })
        .split("\n")
        .filter((l) => l !== ""),
    stop: () => {
      try {
        asServer("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
    }
  }
}
