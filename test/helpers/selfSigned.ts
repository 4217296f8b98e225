import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A self-signed certificate for 127.0.0.1, and the files that hold it (the certificate is its own CA: NODE_EXTRA_CA_CERTS). */
export interface SelfSigned { key: string; cert: string; keyFile: string; caFile: string }

/** Made with openssl, for loopback HTTPS stand-ins (Application Insights' ingestion, Azure Storage with a bearer token). */
export function selfSigned(): SelfSigned {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'di-tls-'));
  const [keyFile, caFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', caFile, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(caFile, 'utf8'), keyFile, caFile };
}
