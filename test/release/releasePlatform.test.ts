import { platformProblem } from '../../scripts/release/buildRelease';

describe('the release is built only where it can run on App Service (Linux x64, Node 24)', () => {
  test('Linux x64 with Node 24 builds it', () => {
    expect(platformProblem('linux', 'x64', '24.22.3')).toBeUndefined();
  });

  test.each([
    ['linux', 'x64', '20.20.2'],
    ['linux', 'x64', '22.12.0'],
    ['darwin', 'arm64', '24.22.3'],
    ['linux', 'arm64', '24.22.3'],
  ])('%s %s with Node %s is refused, naming what it is and what App Service runs', (platform, arch, node) => {
    expect(platformProblem(platform as NodeJS.Platform, arch as NodeJS.Architecture, node)).toBe(
      `The release must be built on Linux x64 with Node 24 (App Service's NODE|24-lts), because better-sqlite3 is compiled for the machine that installed it; this is ${platform}-${arch} with Node ${node}.`,
    );
  });
});
