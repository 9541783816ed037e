/**
 * Debian's Chromium driven by playwright-core, for the report's browser tests. Started with a
 * fresh profile and the flags this machine needs (no sandbox as root, no background network:
 * the network is closed and Chromium would keep trying). `.ci/run` installs the `chromium`
 * package when /usr/bin/chromium is missing; where it cannot, the tests skip and say why.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type BrowserContext, chromium } from "playwright-core"

export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"
export const HAS_CHROMIUM = existsSync(CHROMIUM)
export const NO_CHROMIUM_MESSAGE = `skipped: no Chromium at ${CHROMIUM} (install Debian's chromium package: apt-get install -y chromium; .ci/run does this)`

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

/** Runs `use` with a fresh headless Chromium; the profile directory is removed afterwards. */
export const withChromium = async <A>(use: (browser: BrowserContext) => Promise<A>): Promise<A> => {
  const profile = mkdtempSync(join(tmpdir(), "accelforge-chromium-"))
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1300, height: 900 } })
  try {
    return await use(browser)
  } finally {
    await browser.close()
    rmSync(profile, { recursive: true, force: true })
  }
}
