import http from 'node:http';

/** A request's error, or 'answered'. */
const attempt = (url: string) => new Promise<string>((resolve) => {
  http.get(url, (res) => { res.resume(); resolve('answered'); }).on('error', (err) => resolve(err.message));
});

describe('the tests reach loopback only', () => {
  test('a connection off loopback is refused before it leaves the machine, by address or by name', async () => {
    expect(await attempt('http://169.254.169.254/metadata')).toMatch(/tests allow loopback only/);
    expect(await attempt('http://login.microsoftonline.com/')).toMatch(/tests allow loopback only/);
  });

  test('loopback itself is untouched', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await attempt(`http://127.0.0.1:${port}/`)).toBe('answered');
      expect(await attempt(`http://localhost:${port}/`)).toBe('answered');
    } finally {
      server.close();
    }
  });
});
