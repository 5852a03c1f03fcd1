// The AWS SDK for JavaScript v3 against `migsim serve`: S3 in the SDK's default (virtual-hosted)
// addressing with an endpoint given by host name, a multipart upload, and a body over the API limit
// answered 413 in S3's error shape (not a broken pipe). Every host name resolves to 127.0.0.1 here:
// nothing leaves the machine.
//   node s3_clients.mjs PORT      prints one "ok"/"FAIL" line per check, exits 1 on a failure
import http from "node:http";
import crypto from "node:crypto";
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command,
         CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const port = Number(process.argv[2]);
let failed = 0;
const check = (name, ok, detail = "") => {
  if (!ok) failed++;
  console.log((ok ? "ok   " : "FAIL ") + name + (ok ? "" : `  -- ${String(detail).slice(0, 500)}`));
};
// Every name is this machine.
const lookup = (host, opts, cb) => (opts && opts.all ? cb(null, [{ address: "127.0.0.1", family: 4 }])
                                                     : cb(null, "127.0.0.1", 4));
const agent = new http.Agent({ keepAlive: true, lookup });
const hosts = [];
const s3 = new S3Client({
  region: "us-east-1",
  endpoint: `http://localhost:${port}`,  // a host name: the SDK's default is virtual-hosted style
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  requestHandler: new NodeHttpHandler({ httpAgent: agent }),
  maxAttempts: 1,
});
s3.middlewareStack.add((next) => async (args) => {
  hosts.push(args.request.hostname);
  return next(args);
}, { step: "finalizeRequest", name: "recordHost" });

const md5 = (b) => crypto.createHash("md5").update(b).digest("hex");

try {
  await s3.send(new CreateBucketCommand({ Bucket: "js-shop" }));
  check("virtual host: the SDK sent js-shop.localhost", hosts.includes("js-shop.localhost"), hosts.join(","));
  const small = crypto.randomBytes(3 * 1024 * 1024);
  await s3.send(new PutObjectCommand({ Bucket: "js-shop", Key: "assets/app.js", Body: small }));
  const got = await s3.send(new GetObjectCommand({ Bucket: "js-shop", Key: "assets/app.js" }));
  const back = Buffer.from(await got.Body.transformToByteArray());
  check("virtual host: a 3 MB object round-trips byte-identical", md5(back) === md5(small), back.length);
  const list = await s3.send(new ListObjectsV2Command({ Bucket: "js-shop" }));
  check("virtual host: the key is an object of the bucket, not a bucket",
        (list.Contents || []).map((o) => o.Key).join() === "assets/app.js", JSON.stringify(list.Contents));

  const part = crypto.randomBytes(5 * 1024 * 1024), last = crypto.randomBytes(1024 * 1024);
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "js-shop", Key: "big.bin" }));
  const p1 = await s3.send(new UploadPartCommand({ Bucket: "js-shop", Key: "big.bin", UploadId, PartNumber: 1, Body: part }));
  const p2 = await s3.send(new UploadPartCommand({ Bucket: "js-shop", Key: "big.bin", UploadId, PartNumber: 2, Body: last }));
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: "js-shop", Key: "big.bin", UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }));
  check("multipart: the ETag is S3's <md5 of md5s>-2", /^"[0-9a-f]{32}-2"$/.test(done.ETag), done.ETag);
  const big = await s3.send(new GetObjectCommand({ Bucket: "js-shop", Key: "big.bin" }));
  const bigBack = Buffer.from(await big.Body.transformToByteArray());
  check("multipart: the object is the parts in order", md5(bigBack) === md5(Buffer.concat([part, last])), bigBack.length);
} catch (e) {
  check("S3 calls succeed", false, `${e.name}: ${e.message}`);
}

// An API call over the 1 MiB limit: the client must read a 413 in the protocol's error shape.
try {
  const huge = "x".repeat(2 * 1024 * 1024);
  const raw = await new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonDMSv20160101.DescribeEndpoints",
                 "Content-Length": huge.length } }, (res) => {
      let body = ""; res.on("data", (c) => (body += c)); res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("error", reject);
    req.end(huge);
  });
  check("413 over plain node http (json protocol): status and error shape",
        raw.status === 413 && raw.body.includes("RequestEntityTooLargeException"), JSON.stringify(raw).slice(0, 300));
} catch (e) {
  check("413 over plain node http: no broken pipe", false, `${e.code || e.name}: ${e.message}`);
}
try {
  // S3 object data has the larger limit; a PutBucketTagging body is an API call (1 MiB).
  const tags = Array.from({ length: 40000 }, (_, i) => ({ Key: `k${i}`, Value: "v".repeat(20) }));
  const { PutBucketTaggingCommand } = await import("@aws-sdk/client-s3");
  await s3.send(new PutBucketTaggingCommand({ Bucket: "js-shop", Tagging: { TagSet: tags } }));
  check("413 through the SDK: refused", false, "accepted");
} catch (e) {
  const status = e.$metadata && e.$metadata.httpStatusCode;
  check("413 through the SDK: an S3 error with status 413, not EPIPE/ECONNRESET",
        status === 413 && e.name !== "EPIPE" && e.code !== "EPIPE" && e.code !== "ECONNRESET",
        `${e.name} ${e.code || ""} ${status}: ${e.message}`);
}
agent.destroy();
process.exit(failed ? 1 : 0);
