// Preloaded into cognito-local (node --require): the key pair cognito-local ships in its package is public and the
// same for every installation, so this puts the home's own RS256 key in its place before cognito-local loads it.
// Tokens are then signed with, and the JWKS endpoint serves, the key in $DRAGNET_COGNITO_SIGNING_KEY (PKCS#8 PEM).
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const keyFile = process.env.DRAGNET_COGNITO_SIGNING_KEY;
const packageFolder = process.env.DRAGNET_COGNITO_LOCAL_PACKAGE;
if (!keyFile || !packageFolder) {
  throw new Error("DRAGNET_COGNITO_SIGNING_KEY and DRAGNET_COGNITO_LOCAL_PACKAGE must be set");
}
const pem = fs.readFileSync(keyFile, "ascii");
const privateKey = crypto.createPrivateKey(pem);
// cognito-local names its key "CognitoLocal" in every token header; the JWKS entry keeps that id.
const publicJwk = { ...crypto.createPublicKey(privateKey).export({ format: "jwk" }), use: "sig", kid: "CognitoLocal", alg: "RS256" };
const privateJwk = { ...privateKey.export({ format: "jwk" }), use: "sig", kid: "CognitoLocal", alg: "RS256" };

function preload(fileName, exports) {
  const file = fs.realpathSync(path.join(packageFolder, "lib", "keys", fileName));
  const module = new Module(file, null);
  module.filename = file;
  module.loaded = true;
  module.exports = exports;
  require.cache[file] = module;
}

preload("cognitoLocal.private.json", { jwk: privateJwk, pem });
preload("cognitoLocal.public.json", { jwk: publicJwk });
