/**
 * Notifications verified per second by the trigger's verification path (trigger/verify.ts:
 * header lookup, time window, RSA-SHA256 over the callback sign string with RM's server key), on
 * notifications signed the way the simulator signs them. Forged and stale ones are timed too:
 * a flood of junk must not cost more than real traffic.
 */
import { verify } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import { verifyNotification, type ReceivedNotification } from '../../nodes/RevenueMonster/trigger/verify';
import { buildSignString, signDataOf, unixTimestamp } from '../../nodes/RevenueMonster/transport/signature';
import { parsePrivateKey, parsePublicKey } from '../../nodes/RevenueMonster/transport/keys';
import { signNotification } from '../../simulator/sign-notification';
import { SIMULATOR_KEYS } from '../../simulator/keys';
import { nowMs, processCpuMs, round, summarize, type RoundSummary } from './measure';

export interface NotificationRate {
	kind: string;
	verifications: number;
	perSecond: number;
	accepted: number;
}

export interface NotificationResult {
	toleranceSeconds: number;
	rates: NotificationRate[];
	/** valid notifications verified per CPU second by the trigger's path and by a bare crypto.verify */
	verifyPath: VerifyPathResult;
}

export interface VerifyPathResult {
	notifications: number;
	/** trigger/verify.ts on the received notification (headers, window, sign string, RSA verify) */
	triggerPerCpuSecond: RoundSummary;
	/** crypto.verify alone, with the public key parsed and the sign string and signature already built */
	rawVerifyPerCpuSecond: RoundSummary;
	/** trigger ÷ raw, taken within each round */
	triggerOverRaw: RoundSummary;
}

function paymentNotification(index: number): IDataObject {
	return {
		eventType: 'PAYMENT_WEB_ONLINE',
		data: {
			transactionId: `17000000000${String(index).padStart(8, '0')}`,
			order: { id: `ORDER-${index}`, title: 'Bench & <notification>', amount: 1000 + index, detail: '', additionalData: '' },
			currencyType: 'MYR',
			finalAmount: 1000 + index,
			method: 'FPX',
			status: 'SUCCESS',
			type: 'WEB_PAYMENT',
			region: 'MALAYSIA',
			createdAt: new Date().toISOString(),
		},
	};
}

function rate(kind: string, notifications: ReceivedNotification[], minimumMs: number): NotificationRate {
	const publicKey = parsePublicKey(SIMULATOR_KEYS.serverPublicKey);
	let verifications = 0;
	let accepted = 0;
	const start = nowMs();
	while (nowMs() - start < minimumMs) {
		for (const notification of notifications) {
			if (verifyNotification(publicKey, notification, { toleranceSeconds: 300 }).valid) accepted++;
			verifications++;
		}
	}
	const seconds = (nowMs() - start) / 1000;
	return { kind, verifications, perSecond: round(verifications / seconds, 0), accepted };
}

/**
 * The trigger's verification against the RSA verification it cannot avoid, on the same valid
 * notifications, in interleaved rounds: what the package adds around crypto.verify.
 */
function measureVerifyPath(notifications: ReceivedNotification[], rounds: number, minimumMs: number): VerifyPathResult {
	const publicKey = parsePublicKey(SIMULATOR_KEYS.serverPublicKey);
	const raw = notifications.map((notification) => {
		const headers = notification.headers as Record<string, string>;
		const signString = buildSignString({
			data: signDataOf(notification.rawBody.toString()),
			method: 'post',
			nonceStr: headers['X-Nonce-Str'],
			timestamp: headers['X-Timestamp'],
		});
		return { data: Buffer.from(signString, 'utf8'), signature: Buffer.from(headers['X-Signature'].slice('sha256 '.length), 'base64') };
	});
	const triggerPass = () => {
		for (const notification of notifications) {
			if (!verifyNotification(publicKey, notification, { toleranceSeconds: 300 }).valid) throw new Error('valid notification refused');
		}
	};
	const rawPass = () => {
		for (const { data, signature } of raw) {
			if (!verify('sha256', data, publicKey, signature)) throw new Error('raw verify failed');
		}
	};
	// Warm-up: both paths compiled and optimised before anything is counted.
	for (let pass = 0; pass < 20; pass++) {
		triggerPass();
		rawPass();
	}
	// Alternate the two pass by pass (a pass is a few ms), so load on the machine hits both alike.
	const trigger: number[] = [];
	const bare: number[] = [];
	for (let index = 0; index < rounds; index++) {
		let triggerMs = 0;
		let rawMs = 0;
		let passes = 0;
		while (triggerMs + rawMs < minimumMs) {
			let start = processCpuMs();
			triggerPass();
			triggerMs += processCpuMs() - start;
			start = processCpuMs();
			rawPass();
			rawMs += processCpuMs() - start;
			passes++;
		}
		trigger.push((passes * notifications.length * 1000) / triggerMs);
		bare.push((passes * notifications.length * 1000) / rawMs);
	}
	return {
		notifications: notifications.length,
		triggerPerCpuSecond: summarize(trigger, 0),
		rawVerifyPerCpuSecond: summarize(bare, 0),
		triggerOverRaw: summarize(trigger.map((value, index) => value / bare[index]), 2),
	};
}

export function measureNotifications(count = 500, minimumMs = 1500, rounds = 5): NotificationResult {
	const serverKey = parsePrivateKey(SIMULATOR_KEYS.serverPrivateKey);
	const strangerKey = parsePrivateKey(SIMULATOR_KEYS.merchantPrivateKey);
	const signed = (key = serverKey, timestamp = unixTimestamp()) =>
		Array.from({ length: count }, (_, index) => {
			const { rawBody, headers } = signNotification(key, paymentNotification(index), 'post', undefined, timestamp);
			return { method: 'POST', rawBody: Buffer.from(rawBody), headers: { ...headers } } as ReceivedNotification;
		});
	const stale = unixTimestamp(Date.now() - 3_600_000);
	const valid = signed();
	return {
		toleranceSeconds: 300,
		verifyPath: measureVerifyPath(valid, rounds, minimumMs / 5),
		rates: [
			rate('valid (signed by RM’s server key)', valid, minimumMs),
			rate('forged (signed by another key)', signed(strangerKey), minimumMs / 2),
			rate('stale (valid signature, an hour old)', signed(serverKey, stale), minimumMs / 4),
		],
	};
}
