// A software WebAuthn authenticator for tests and the bench: one ES256 key,
// authenticatorData, clientDataJSON and signatures built by hand, so the
// server's verification runs exactly as it does for a real browser.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { relyingParty } from "@/lib/passkeys";

const b64 = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest();

function cborBytes(bytes: Buffer): Buffer {
  if (bytes.length < 24) return Buffer.concat([Buffer.from([0x40 + bytes.length]), bytes]);
  if (bytes.length < 256) return Buffer.concat([Buffer.from([0x58, bytes.length]), bytes]);
  return Buffer.concat([Buffer.from([0x59, bytes.length >> 8, bytes.length & 0xff]), bytes]);
}
const cborText = (text: string) => Buffer.concat([Buffer.from([0x60 + text.length]), Buffer.from(text)]);

/** A software authenticator with one ES256 credential. */
export function authenticator() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" }) as { x: string; y: string };
  const cose = Buffer.concat([
    Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21]),
    cborBytes(Buffer.from(jwk.x, "base64url")),
    Buffer.from([0x22]),
    cborBytes(Buffer.from(jwk.y, "base64url")),
  ]);
  const credentialId = randomBytes(16);
  return { privateKey, cose, credentialId, id: b64(credentialId) };
}
export type Authenticator = ReturnType<typeof authenticator> & { privateKey: KeyObject };

function authData(rpID: string, flags: number, counter: number, attested?: Buffer) {
  const head = Buffer.alloc(37);
  sha256(rpID).copy(head, 0);
  head[32] = flags;
  head.writeUInt32BE(counter, 33);
  return attested ? Buffer.concat([head, attested]) : head;
}

export type Options = { origin?: string; rpID?: string; counter?: number; flags?: number; userHandle?: string };

export function assertion(auth: Authenticator, challenge: string, userId: number, o: Options = {}) {
  const rp = relyingParty();
  const clientData = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge, origin: o.origin ?? rp.origin, crossOrigin: false }));
  const data = authData(o.rpID ?? rp.rpID, o.flags ?? 0x05, o.counter ?? 1);
  const signature = sign("sha256", Buffer.concat([data, sha256(clientData)]), auth.privateKey);
  return {
    id: auth.id,
    rawId: auth.id,
    type: "public-key" as const,
    response: {
      authenticatorData: b64(data),
      clientDataJSON: b64(clientData),
      signature: b64(signature),
      userHandle: b64(Buffer.from(o.userHandle ?? `rd-${userId}`)),
    },
    clientExtensionResults: {},
  };
}

export function attestation(auth: Authenticator, challenge: string, o: Options = {}) {
  const rp = relyingParty();
  const clientData = Buffer.from(JSON.stringify({ type: "webauthn.create", challenge, origin: o.origin ?? rp.origin, crossOrigin: false }));
  const attested = Buffer.concat([Buffer.alloc(16), Buffer.from([0, auth.credentialId.length]), auth.credentialId, auth.cose]);
  const data = authData(rp.rpID, o.flags ?? 0x45, 0, attested);
  const object = Buffer.concat([Buffer.from([0xa3]), cborText("fmt"), cborText("none"), cborText("attStmt"), Buffer.from([0xa0]), cborText("authData"), cborBytes(data)]);
  return {
    id: auth.id,
    rawId: auth.id,
    type: "public-key" as const,
    response: { attestationObject: b64(object), clientDataJSON: b64(clientData), transports: ["internal" as const] },
    clientExtensionResults: {},
  };
}

