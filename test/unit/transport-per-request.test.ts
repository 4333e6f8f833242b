/**
 * What the transport does on every request, kept lean: the credential and its id/name read once per
 * execution (n8n's getNode() deep-copies the node on every call), the token owner hashed once per
 * credential identity, and the caller's own signature headers dropped. Each with the case it must
 * still get right.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from "n8n-workflow";

import {
  fetchAccessToken,
  signRequestOptions,
} from "../../nodes/RevenueMonster/transport/authenticate";
import { revenueMonsterRequest } from "../../nodes/RevenueMonster/transport/request";
import { SIMULATOR_KEYS } from "../../simulator/keys";

const credentials: ICredentialDataDecryptedObject = {
  environment: "custom",
  apiBaseUrl: "http://127.0.0.1:4010",
  oauthBaseUrl: "http://127.0.0.1:4010",
  clientId: SIMULATOR_KEYS.clientId,
  clientSecret: SIMULATOR_KEYS.clientSecret,
  privateKey: SIMULATOR_KEYS.merchantPrivateKey,
};

async function storedTokenFor(
  data: ICredentialDataDecryptedObject,
  token: string,
): Promise<string> {
  const helpers = {
    httpRequest: async () => ({
      statusCode: 200,
      body: { accessToken: token },
    }),
  };
  return (await fetchAccessToken.call({ helpers } as never, data)).accessToken;
}

const bearer = (data: ICredentialDataDecryptedObject, headers?: IDataObject) =>
  (
    signRequestOptions(data, { method: "GET", url: "/v3/merchant", headers })
      .headers as IDataObject
  ).Authorization;

describe("token owner, hashed once per credential identity", () => {
  it("sends the stored token only while the client ID, secret and host are the ones it was issued to", async () => {
    const stored = await storedTokenFor(credentials, "T1");
    const withToken = { ...credentials, accessToken: stored };
    expect(bearer(withToken)).toBe("Bearer T1");
    expect(bearer({ ...withToken, clientSecret: "changed" })).toBe("Bearer ");
    expect(bearer({ ...withToken, clientId: "other-client" })).toBe("Bearer ");
    expect(
      bearer({ ...withToken, oauthBaseUrl: "http://127.0.0.1:4011" }),
    ).toBe("Bearer ");
    // asked again after the others: the remembered owners did not mix
    expect(bearer(withToken)).toBe("Bearer T1");
  });

  it("stays right after more identities than it remembers", async () => {
    const stored = await storedTokenFor(credentials, "T2");
    for (let index = 0; index < 100; index++)
      bearer({
        ...credentials,
        clientSecret: `secret-${index}`,
        accessToken: stored,
      });
    expect(bearer({ ...credentials, accessToken: stored })).toBe("Bearer T2");
    expect(
      bearer({ ...credentials, clientSecret: "secret-3", accessToken: stored }),
    ).toBe("Bearer ");
  });
});

describe("signed headers", () => {
  it("replaces the caller's own spelling of a signed header and keeps the others", async () => {
    const data = {
      ...credentials,
      accessToken: await storedTokenFor(credentials, "T3"),
    };
    const headers = signRequestOptions(data, {
      method: "GET",
      url: "/v3/merchant",
      headers: {
        authorization: "Bearer stolen",
        "X-SIGNATURE": "sha256 AAAA",
        "X-Request-Id": "r-1",
      },
    }).headers as IDataObject;
    expect(headers.Authorization).toBe("Bearer T3");
    expect(headers.authorization).toBeUndefined();
    expect(headers["X-SIGNATURE"]).toBeUndefined();
    expect(String(headers["X-Signature"])).toMatch(
      /^sha256 [A-Za-z0-9+/]+={0,2}$/,
    );
    expect(headers["X-Request-Id"]).toBe("r-1");
  });
});

describe("the credential of an execution", () => {
  const node = {
    name: "RM",
    type: "rm",
    parameters: { a: 1 },
    credentials: { revenueMonsterApi: { id: "cred-1", name: "My RM" } },
  };

  function fakeContext(kind: "execute" | "webhook") {
    const seen = {
      getNode: 0,
      getCredentials: 0,
      credentials: [] as Array<{ id: string; name: string; type: string }>,
    };
    const context = {
      ...(kind === "execute" ? { getInputData: () => [] } : {}),
      getNode: () => {
        seen.getNode++;
        return JSON.parse(JSON.stringify(node));
      },
      getCredentials: async () => {
        seen.getCredentials++;
        return { ...credentials, accessToken: "x:y" };
      },
      helpers: {
        httpRequestWithAuthentication: async (
          _type: string,
          _options: unknown,
          extra: {
            credentialsDecrypted: { id: string; name: string; type: string };
          },
        ) => {
          seen.credentials.push(extra.credentialsDecrypted);
          return { item: {} };
        },
      },
    };
    return { context, seen };
  }

  it("reads the credential and the node once for all requests of an execution, and names the credential to n8n", async () => {
    const { context, seen } = fakeContext("execute");
    for (let index = 0; index < 5; index++)
      await revenueMonsterRequest.call(context as never, {
        method: "GET",
        path: "/v3/merchant",
      });
    expect(seen.getCredentials).toBe(1);
    expect(seen.getNode).toBe(1);
    expect(seen.credentials).toHaveLength(5);
    for (const sent of seen.credentials)
      expect({ id: sent.id, name: sent.name, type: sent.type }).toEqual({
        id: "cred-1",
        name: "My RM",
        type: "revenueMonsterApi",
      });
  });

  it("a new execution reads them again; a webhook or editor look-up reads them on every request (control)", async () => {
    const first = fakeContext("execute");
    const second = fakeContext("execute");
    await revenueMonsterRequest.call(first.context as never, {
      method: "GET",
      path: "/v3/merchant",
    });
    await revenueMonsterRequest.call(second.context as never, {
      method: "GET",
      path: "/v3/merchant",
    });
    expect([first.seen.getCredentials, second.seen.getCredentials]).toEqual([
      1, 1,
    ]);

    const webhook = fakeContext("webhook");
    for (let index = 0; index < 3; index++)
      await revenueMonsterRequest.call(webhook.context as never, {
        method: "GET",
        path: "/v3/merchant",
      });
    expect(webhook.seen.getCredentials).toBe(3);
    expect(webhook.seen.getNode).toBe(3);
  });
});
