/**
 * `npm run screenshot`: refreshes docs/editor-screenshot.png (the README's picture) from the real n8n
 * editor. It starts the same environment as `npm run dev` (in `.dev/screenshot`), runs the weekly
 * billing example in the editor with headless Chromium, and captures the canvas after the run, then
 * the charge node's panel (docs/editor-node-panel.png).
 *
 * Needs Debian's Chromium (`apt-get install -y chromium`), driven by playwright-core. Not part of CI:
 * the committed PNGs are what the README shows.
 */
import path from 'path';

import type { Page } from 'playwright-core';

import { DEV_OWNER, startDevEnvironment, type DevEnvironment } from './dev';
import { launchChromium, signIn } from './lib/browser';
import { REPO_ROOT } from './lib/n8n-instance';
import { stopAll, stopAllOnExit } from './lib/processes';
import { WORKFLOWS } from './lib/workflows';

const CANVAS_PNG = path.join(REPO_ROOT, 'docs', 'editor-screenshot.png');
const PANEL_PNG = path.join(REPO_ROOT, 'docs', 'editor-node-panel.png');

async function closeToasts(page: Page): Promise<void> {
	const close = page.locator('.el-notification__closeBtn');
	for (let i = await close.count(); i > 0; i--) await close.first().click();
	await page.waitForTimeout(500);
}

/** Zooms the canvas so the whole workflow fits. */
async function fitView(page: Page): Promise<void> {
	const button = page.locator('[data-test-id="zoom-to-fit"]').first();
	if (await button.count()) await button.click();
	else await page.keyboard.press('1');
	await page.waitForTimeout(800);
}

async function main(): Promise<void> {
	let environment: DevEnvironment | undefined;
	stopAllOnExit(async () => {
		await environment?.n8n.stop();
		await environment?.simulator.stop();
	});
	const browser = await launchChromium();
	try {
		environment = await startDevEnvironment({
			dir: path.join(REPO_ROOT, '.dev', 'screenshot'),
			say: (line) => console.log(`- ${line}`),
			fresh: true,
		});
		const { n8n } = environment;
		const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
		await signIn(page, n8n.baseUrl, DEV_OWNER);

		await page.goto(`${n8n.baseUrl}/workflow/${WORKFLOWS.billing.id}`);
		await page.getByText('Charge saved card').first().waitFor({ timeout: 60_000 });
		await page.waitForLoadState('networkidle');

		// Run the billing in the editor: one paid, one declined (follow-up), one paused.
		await page.locator('[data-test-id="execute-workflow-button"]').first().click();
		await page
			.getByText('Workflow executed successfully')
			.first()
			.waitFor({ timeout: 60_000 })
			.catch(() => undefined);
		await page
			.getByText(/1 item/)
			.first()
			.waitFor({ timeout: 60_000 });
		await page.waitForTimeout(1500); // let the canvas finish drawing the run
		await closeToasts(page);
		await fitView(page);
		await page.screenshot({ path: CANVAS_PNG });
		console.log(`wrote ${path.relative(REPO_ROOT, CANVAS_PNG)}`);

		// The charge node's panel: its parameters, and the paid charge in its output.
		await page.locator('[data-test-id="canvas-node"][data-node-name="Charge saved card"]').dblclick({ force: true });
		await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1000);
		await closeToasts(page);
		await page.screenshot({ path: PANEL_PNG });
		console.log(`wrote ${path.relative(REPO_ROOT, PANEL_PNG)}`);
	} finally {
		await browser.close();
		await environment?.n8n.stop();
		await environment?.simulator.stop();
		await stopAll();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error((error as Error).message);
		process.exit(1);
	},
);
