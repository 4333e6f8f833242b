/**
 * `npm run test:ui`: the editor experience, checked in a real browser (Debian's headless Chromium driven by
 * playwright-core) against the same environment as `npm run dev`, started fresh in `.dev/ui-test`.
 *
 * As a new user would: log in, add Revenue Monster → Create a checkout from the node search into a new
 * workflow, pick a store from the live picker (it must list the stores on first open), fill the checkout,
 * execute the step and check its output; the same picker when n8n asks for it before the credential is
 * attached (what n8n 2.41 does on a freshly added node; it must not show an error); open the credential
 * and test it; add the trigger and check that its protective options are visible.
 *
 * A screenshot of each step goes to `.dev/ui-test/screenshots/`; `npm run test:ui -- --update-docs` also
 * copies them to `docs/ui/` (the README links them). Exits non-zero at the first failed check.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'fs';
import path from 'path';

import type { Page } from 'playwright-core';

import { DEV_OWNER, startDevEnvironment, type DevEnvironment } from './dev';
import { launchChromium, signIn } from './lib/browser';
import { REPO_ROOT } from './lib/n8n-instance';
import { stopAll, stopAllOnExit } from './lib/processes';

const RUN_DIR = path.join(REPO_ROOT, '.dev', 'ui-test');
const SHOTS = path.join(RUN_DIR, 'screenshots');
const DOCS_SHOTS = path.join(REPO_ROOT, 'docs', 'ui');

let step = 0;
async function shot(page: Page, name: string): Promise<void> {
	step++;
	const file = path.join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`);
	await page.screenshot({ path: file });
}

function check(condition: boolean, what: string, detail = ''): void {
	if (!condition) throw new Error(`FAIL ${what}${detail ? `: ${detail}` : ''}`);
	console.log(`ok   ${what}`);
}

/** From the node search of an empty canvas: the node, then one of its actions (or triggers). */
async function addFromNodeSearch(page: Page, nodeName: string, actionText: string, section: RegExp): Promise<void> {
	const plus = page.locator('[data-test-id="canvas-plus-button"], [data-test-id="node-creator-plus-button"]').first();
	await plus.click();
	await page.locator('[data-test-id="node-creator-search-bar"], [data-test-id="search-bar"]').first().waitFor();
	await page.keyboard.type(nodeName);
	await page.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${nodeName}$`) }).first().click();
	const action = page.getByText(actionText, { exact: true }).first();
	if (!(await action.isVisible().catch(() => false))) await page.getByText(section).first().click();
	await action.click();
	await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30_000 });
}

/** Types into a string parameter (replacing its value; an expression default is switched to fixed first). */
async function fill(page: Page, parameter: string, value: string): Promise<void> {
	const container = page.locator(`[data-test-id="parameter-input-${parameter}"]`).first();
	const input = container.locator('input, textarea, [contenteditable="true"]').first();
	await input.click();
	await page.keyboard.press('Control+A');
	await page.keyboard.type(value);
	await page.keyboard.press('Tab');
}

/** The store picker: opened once; it must list the stores straight away. */
async function storeOptions(page: Page, timeoutMs = 20_000): Promise<string[]> {
	const picker = page.locator('[data-test-id="parameter-input-storeId"]').first();
	await picker.click();
	const options = page.locator('.el-select-dropdown__item:visible');
	await options
		.first()
		.waitFor({ timeout: timeoutMs })
		.catch(() => undefined);
	return (await options.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/** The list as a user sees it after asking again: open it, and if it is still empty, close and reopen. */
async function storeOptionsAfterRefresh(page: Page): Promise<string[]> {
	let texts: string[] = [];
	for (let attempt = 0; attempt < 4 && !texts.some((text) => text.startsWith('Main Street Store')); attempt++) {
		// Escape only closes an open list: with none open it would close the node's panel.
		if (await page.locator('.el-select-dropdown:visible').count()) await page.keyboard.press('Escape');
		await page.waitForTimeout(1000);
		texts = await storeOptions(page, 5_000);
	}
	return texts;
}

async function pickerText(page: Page): Promise<string> {
	const picker = page.locator('[data-test-id="parameter-input-storeId"]').first();
	const value = await picker
		.locator('input')
		.first()
		.evaluate((input) => {
			const field = input as unknown as { value: string; placeholder: string };
			return `${field.value} ${field.placeholder}`;
		});
	return `${value} ${await picker.innerText()}`;
}

async function main(): Promise<void> {
	let environment: DevEnvironment | undefined;
	stopAllOnExit(async () => {
		await environment?.n8n.stop();
		await environment?.simulator.stop();
	});
	rmSync(SHOTS, { recursive: true, force: true });
	const browser = await launchChromium();
	try {
		environment = await startDevEnvironment({ dir: RUN_DIR, say: (line) => console.log(`- ${line}`), fresh: true });
		mkdirSync(SHOTS, { recursive: true });
		const { n8n, simulator } = environment;
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		const loadOptionsErrors: string[] = [];
		page.on('response', async (response) => {
			if (response.url().includes('/rest/dynamic-node-parameters/options') && !response.ok()) {
				loadOptionsErrors.push(`${response.status()} ${(await response.text().catch(() => '')).slice(0, 200)}`);
			}
		});

		await signIn(page, n8n.baseUrl, DEV_OWNER);
		await page.goto(`${n8n.baseUrl}/workflow/new`);
		await page.locator('[data-test-id="canvas-plus-button"]').first().waitFor({ timeout: 60_000 });
		await shot(page, 'new-workflow');

		// 1. Revenue Monster → Create a checkout, from the node search.
		await addFromNodeSearch(page, 'Revenue Monster', 'Create a checkout', /^Actions \(\d+\)/);
		await page.waitForTimeout(1500);
		await shot(page, 'checkout-added');
		const stores = await storeOptions(page);
		await shot(page, 'store-picker-first-open');
		check(
			stores.some((text) => text.startsWith('Main Street Store')),
			'the store picker lists the stores on first open',
			`saw ${JSON.stringify(stores)}; loadOptions errors ${JSON.stringify(loadOptionsErrors)}`,
		);
		await page.locator('.el-select-dropdown__item:visible', { hasText: 'Main Street Store' }).first().click();
		check(
			(await pickerText(page)).includes('Main Street Store'),
			'a store is picked',
			await pickerText(page),
		);

		// 2. The picker when n8n asks before the credential is attached (a freshly added node): never an error.
		await page.route('**/rest/dynamic-node-parameters/options', async (route) => {
			const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
			delete body.credentials;
			await route.continue({ postData: JSON.stringify(body) });
		});
		await reloadStoreOptions(page);
		// Wait for n8n's answer: the field says "Loading options…" until it arrives.
		let racedText = await pickerText(page);
		for (let waited = 0; /Loading/i.test(racedText) || waited < 1500; waited += 500) {
			if (waited > 30_000) break;
			await page.waitForTimeout(500);
			racedText = await pickerText(page);
		}
		const racedOptions = await storeOptions(page);
		await shot(page, 'store-picker-before-credential');
		await page.unroute('**/rest/dynamic-node-parameters/options');
		check(
			!/Error fetching options/i.test(racedText),
			'without a credential attached the picker shows no error',
			`${racedText} / ${JSON.stringify(loadOptionsErrors)}`,
		);
		check(
			racedOptions.some((text) => /Choose a Revenue Monster credential/.test(text)),
			'…and says what to do',
			JSON.stringify(racedOptions),
		);
		await page.keyboard.press('Escape');
		// With the credential again, the list comes back (Refresh List), and the picked store is still there.
		await reloadStoreOptions(page);
		const restored = await storeOptionsAfterRefresh(page);
		await page.keyboard.press('Escape');
		check(restored.some((text) => text.startsWith('Main Street Store')), 'with the credential the list is back', JSON.stringify(restored));

		// 3. Fill the checkout. Order ID keeps its default expression (new on every run).
		const orderIdShown = await page.locator('[data-test-id="parameter-input-orderId"]').first().innerText();
		check(/ORD/.test(orderIdShown) || /\$now/.test(orderIdShown), 'Order ID starts as a unique-per-run expression', orderIdShown);
		const amountValue = await page
			.locator('[data-test-id="parameter-input-amount"] input')
			.first()
			.inputValue();
		check(amountValue === '', 'Amount starts empty', JSON.stringify(amountValue));
		await fill(page, 'orderTitle', 'UI test order');
		await fill(page, 'amount', '1234');
		await fill(page, 'redirectUrl', 'https://shop.example.com/thank-you');
		await fill(page, 'notifyUrl', `${n8n.baseUrl}/webhook/ui-test/notify`);
		await shot(page, 'checkout-filled');

		// 4. Execute the step and read its output.
		await page.locator('[data-test-id="node-execute-button"]').first().click();
		const output = page.locator('[data-test-id="output-panel"]').first();
		await output.getByText('checkoutId').first().waitFor({ timeout: 60_000 });
		await page.waitForTimeout(500);
		await shot(page, 'checkout-executed');
		const outputText = await output.innerText();
		check(/checkoutId/.test(outputText) && /\/sim\/checkout\//.test(outputText), 'the step outputs checkoutId and url');
		const checkout = [...simulator.state.checkouts.values()].at(-1);
		check(
			checkout !== undefined && (checkout.order as { amount?: number }).amount === 1234,
			'the simulator received the checkout with the typed amount',
			JSON.stringify(checkout?.order),
		);
		check(
			/^ORD\d{15}-0$/.test(String((checkout?.order as { id?: string })?.id)),
			'the default Order ID is new per run and item, at most 24 characters',
			String((checkout?.order as { id?: string })?.id),
		);

		await page.locator('[data-test-id="ndv-close-button"]').first().click();

		// 5. The credential: its notice, and Test.
		await page.goto(`${n8n.baseUrl}/home/credentials`);
		await page.getByText('Revenue Monster (simulator)').first().click();
		const modal = page.locator('.el-dialog:visible, [role="dialog"]:visible').first();
		await modal.waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1000);
		check(/openssl genrsa/.test(await modal.innerText()), 'the credential form explains how to make the RSA key pair');
		await shot(page, 'credential-form');
		// n8n tests a saved credential as its form opens; wait for that verdict, then test again on request
		// (Retry), as a user would. Save stays disabled until something is changed.
		const verdict = modal.getByText(/Connection tested successfully|Couldn.t connect/i).first();
		await verdict.waitFor({ timeout: 60_000 });
		await modal.getByRole('button', { name: /retry/i }).first().click();
		await verdict.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
		await modal.getByText(/Connection tested successfully/i).first().waitFor({ timeout: 60_000 });
		await shot(page, 'credential-tested');
		check(true, 'the credential test passes in the editor');
		await page.keyboard.press('Escape');

		// 6. The trigger: its panel shows the protective options with their values.
		await page.goto(`${n8n.baseUrl}/workflow/new`);
		await page.locator('[data-test-id="canvas-plus-button"]').first().waitFor({ timeout: 60_000 });
		await addFromNodeSearch(page, 'Revenue Monster', 'On online payment succeeded', /^Triggers \(\d+\)/);
		await page.waitForTimeout(1500);
		const parameters = page.locator('[data-test-id="node-parameters"]').first();
		await parameters.getByText('Ignore Duplicates').first().scrollIntoViewIfNeeded();
		await shot(page, 'trigger-panel');
		const panelText = await parameters.innerText();
		for (const label of ['Verify Signature', 'Confirm With API', 'Time Window (Seconds)', 'Ignore Duplicates']) {
			check(panelText.includes(label), `the trigger panel shows ${label} without "Add option"`);
		}
		check(!/Listen for test event/.test(await page.locator('[data-test-id="ndv"]').first().innerText()), 'the trigger help names the buttons n8n shows');
		await page.locator('[data-test-id="ndv-close-button"]').first().click();
		await page.waitForTimeout(800);
		await shot(page, 'trigger-on-canvas');
		const subtitle = await page.locator('[data-test-id="canvas-node"]').first().innerText();
		check(!/PAYMENT_WEB_ONLINE/.test(subtitle), 'the trigger subtitle shows words, not codes', subtitle);

		if (process.argv.includes('--update-docs')) {
			rmSync(DOCS_SHOTS, { recursive: true, force: true });
			mkdirSync(DOCS_SHOTS, { recursive: true });
			for (const name of readdirSync(SHOTS)) copyFileSync(path.join(SHOTS, name), path.join(DOCS_SHOTS, name));
			console.log(`copied the screenshots to ${path.relative(REPO_ROOT, DOCS_SHOTS)}`);
		}
		console.log(`\nui test passed; screenshots in ${path.relative(REPO_ROOT, SHOTS)}`);
	} catch (error) {
		const page = browser.contexts()[0]?.pages()[0];
		if (page) await shot(page, 'failure').catch(() => undefined);
		console.error(`\n${(error as Error).message}\nscreenshots so far: ${SHOTS}`);
		throw error;
	} finally {
		await browser.close();
		await environment?.n8n.stop();
		await environment?.simulator.stop();
		await stopAll();
	}
}

/** n8n's "Refresh List" in the field's menu, the way a user asks the picker again. */
async function reloadStoreOptions(page: Page): Promise<void> {
	const container = page.locator('[data-test-id="storeId-parameter-input-options-container"]').first();
	await container.hover();
	await container.locator('[data-test-id="action-toggle"]').first().click();
	await page
		.locator('[role="menuitem"]:visible, .el-dropdown-menu__item:visible', { hasText: /^\s*Refresh List\s*$/i })
		.first()
		.click();
}

main().then(
	() => process.exit(0),
	() => process.exit(1),
);
