/** Debian's Chromium driven by playwright-core, for the UI test and the README screenshots. */
import { existsSync } from 'fs';

import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps dialling Google's hosts, which this
// machine's closed network refuses.
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
	if (!existsSync(CHROMIUM)) {
		throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
	}
	return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

/** Signs in to n8n's editor as this owner. */
export async function signIn(page: Page, baseUrl: string, owner: { email: string; password: string }): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().fill(owner.email);
	await page.locator('input[type="password"]').first().fill(owner.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 60_000 });
}
