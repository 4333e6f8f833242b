/**
 * The lean notification verification path (transport/signature.ts): the signature header check written
 * without the anchored pattern, the data part taken from the received bytes, and the one-shot RSA
 * check. Each must accept and refuse exactly what the slower forms did.
 */
import { generateKeyPairSync, randomBytes } from "crypto";

import { signNotification } from "../../simulator/sign-notification";
import { verifyNotification } from "../../nodes/RevenueMonster/trigger/verify";
import {
  buildSignString,
  canonicalJson,
  formatSignatureHeader,
  isPaddedBase64,
  parseSignatureHeader,
  signDataOf,
  signDataOfBytes,
  signText,
  verifyNotificationSignatureForm,
  verifyText,
} from "../../nodes/RevenueMonster/transport/signature";

/** What parseSignatureHeader did before: the anchored pattern. */
const REFERENCE = /^sha256 ([A-Za-z0-9+/]+={0,2})$/;
const reference = (header: string) => REFERENCE.exec(header.trim())?.[1];

describe("isPaddedBase64 / parseSignatureHeader", () => {
  const tricky = [
    "",
    "=",
    "==",
    "A",
    "A=",
    "A==",
    "A===",
    "AB=C",
    "A=B=",
    "=AB",
    "AB==\n",
    "AB ==",
    "AB-_",
    "AB+/",
    "Ω",
    "AB\u0000",
    "sha256 ",
    randomBytes(256).toString("base64"),
    randomBytes(255).toString("base64"),
    randomBytes(254).toString("base64"),
    randomBytes(256).toString("base64").replace(/=+$/, ""),
    randomBytes(256).toString("base64url"),
  ];

  it.each(
    tricky.map((text) => [
      text.length > 20 ? `${text.length} characters` : JSON.stringify(text),
      text,
    ]),
  )("agrees with the anchored pattern on %s", (_label, text) => {
    expect(isPaddedBase64(text)).toBe(/^[A-Za-z0-9+/]+={0,2}$/.test(text));
    for (const header of [
      `sha256 ${text}`,
      ` sha256 ${text} `,
      `SHA256 ${text}`,
      `sha256  ${text}`,
      text,
    ]) {
      expect(parseSignatureHeader(header)).toBe(reference(header));
    }
  });

  it("agrees with it on 5,000 random strings over the base64 alphabet plus stray characters", () => {
    const alphabet = "ABCXYZabcxyz0189+/=-_ .\n";
    let accepted = 0;
    for (let run = 0; run < 5000; run++) {
      let text = "";
      const length = run % 12;
      for (let index = 0; index < length; index++)
        text += alphabet[(run * 7 + index * 13 + (run >> 3)) % alphabet.length];
      const header = `sha256 ${text}`;
      expect(parseSignatureHeader(header)).toBe(reference(header));
      if (reference(header) !== undefined) accepted++;
    }
    // control: the sample holds both kinds, so agreement is not agreement on "no" alone
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(4900);
  });
});

describe("signDataOfBytes", () => {
  it.each(["", "{}", "null", " {}", "{} ", "nul", '{"a":1}', "Kuih <&> é €"])(
    "matches signDataOf for %j",
    (text) => {
      expect(signDataOfBytes(Buffer.from(text, "utf8"))).toBe(signDataOf(text));
    },
  );
});

describe("one-shot verification", () => {
  const server = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const text =
    "data=eyJhIjoxfQ==&method=post&nonceStr=N&signType=sha256&timestamp=1";

  it("accepts a streaming (createSign) signature and refuses a changed text, a junk or a short signature without throwing", () => {
    const signature = signText(server.privateKey, text);
    expect(verifyText(server.publicKey, text, signature)).toBe(true);
    expect(verifyText(server.publicKey, text + "x", signature)).toBe(false);
    expect(verifyText(server.publicKey, text, "not base64 at all!")).toBe(
      false,
    );
    expect(verifyText(server.publicKey, text, "AAAA")).toBe(false);
  });

  it("builds the same sign string as before (concatenation instead of join)", () => {
    expect(
      buildSignString({
        data: "ZA==",
        method: "POST",
        nonceStr: "n",
        requestUrl: "https://x/y?a=1",
        timestamp: "2",
      }),
    ).toBe(
      "data=ZA==&method=post&nonceStr=n&requestUrl=https://x/y?a=1&signType=sha256&timestamp=2",
    );
    expect(
      buildSignString({ method: "get", nonceStr: "n", timestamp: "2" }),
    ).toBe("method=get&nonceStr=n&signType=sha256&timestamp=2");
  });
});

describe("verifying over the bytes received", () => {
  const server = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const sign = (bytes: Buffer) =>
    formatSignatureHeader(
      signText(
        server.privateKey,
        buildSignString({
          data: signDataOfBytes(bytes),
          method: "post",
          nonceStr: "N",
          timestamp: "1",
        }),
      ),
    );
  const check = (rawBody: Buffer | string, signatureHeader: string) =>
    verifyNotificationSignatureForm(server.publicKey, {
      rawBody,
      method: "POST",
      signatureHeader,
      nonceStr: "N",
      timestamp: "1",
    });

  it("a signature over bytes that are not UTF-8 matches those bytes, and nothing decoded from them", () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    expect(check(bytes, sign(bytes))).toBe("raw");
    // control: the same text as decoded (U+FFFD) is other bytes, and the signature does not cover them
    expect(check(bytes.toString("utf8"), sign(bytes))).toBeUndefined();
  });

  it("bytes that decode to RM’s canonical text are accepted as that value (canonical), as before", () => {
    const canonical = canonicalJson({ a: "\ufffd\ufffd" });
    const header = sign(Buffer.from(canonical, "utf8"));
    const invalid = Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    expect(check(Buffer.from(canonical, "utf8"), header)).toBe("raw");
    expect(check(invalid, header)).toBe("canonical");
  });

  it("`{}` and `null` bodies sign no data, string or bytes", () => {
    for (const body of ["{}", "null"]) {
      const header = sign(Buffer.from(body));
      expect(check(Buffer.from(body), header)).toBe("noData");
      expect(check(body, header)).toBe("noData");
    }
  });
});

describe("the three headers, read in one pass", () => {
  const server = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const nowMs = 1_760_000_000_000;
  const signed = signNotification(
    server.privateKey,
    { eventType: "X", data: { a: 1 } },
    "post",
    "Nonce1",
    String(nowMs / 1000),
  );
  const verify = (headers: Record<string, string | string[]>) =>
    verifyNotification(
      server.publicKey,
      { method: "POST", rawBody: signed.rawBody, headers },
      { toleranceSeconds: 300, nowMs },
    ).valid;
  const forged = formatSignatureHeader(Buffer.alloc(256, 1).toString("base64"));

  it("takes the first of two spellings of a header, as headerValue does", () => {
    const {
      "X-Signature": good,
      "X-Nonce-Str": nonce,
      "X-Timestamp": timestamp,
    } = signed.headers;
    expect(
      verify({
        "X-Signature": good,
        "x-signature": forged,
        "x-nonce-str": nonce,
        "X-TIMESTAMP": timestamp,
      }),
    ).toBe(true);
    // control: with the forged one first, it is the one checked
    expect(
      verify({
        "x-signature": forged,
        "X-Signature": good,
        "x-nonce-str": nonce,
        "X-TIMESTAMP": timestamp,
      }),
    ).toBe(false);
  });

  it("reads them among the other headers a request carries, and the first of a repeated value", () => {
    const headers = {
      host: "n8n.example",
      "content-type": "application/json",
      "x-forwarded": "yes",
      "x-signaturE": [signed.headers["X-Signature"], forged],
      "user-agent": "Go-http-client/1.1",
      "X-Nonce-Str": signed.headers["X-Nonce-Str"],
      "x-timestamp": signed.headers["X-Timestamp"],
    };
    expect(verify(headers)).toBe(true);
    expect(
      verify({
        ...headers,
        "x-signaturE": [forged, signed.headers["X-Signature"]],
      }),
    ).toBe(false);
  });
});
