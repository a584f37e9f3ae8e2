import { describe, expect, it } from 'vitest';
import { ruleResolver } from './rules.js';
import { parseThresholdsYaml, ThresholdsFileError } from './thresholds-file.js';

const example = `default: { low: 100, critical: 20 }
renotify: 4h
products:
  - match: NNZBXXE1X          # product_code or product_id
    low: 500
    critical: 100
    recovery: 25
    for: 2
    channel: C0123ABCD
    horizon: 14d
`;

function failure(text: string): ThresholdsFileError {
  try {
    parseThresholdsYaml(text, 'thresholds.yaml');
  } catch (error) {
    if (error instanceof ThresholdsFileError) return error;
    throw error;
  }
  throw new Error('expected a ThresholdsFileError');
}

describe('parseThresholdsYaml', () => {
  it('reads catalogue_drop (when a much smaller product list is held as suspect), and names a bad value', () => {
    const config = parseThresholdsYaml(
      'default: { low: 100, critical: 20 }\ncatalogue_drop: { max_loss_fraction: 0.3, confirm_polls: 5 }\n',
    );
    expect(config.catalogueSanity).toEqual({ maxLossFraction: 0.3, confirmPolls: 5 });
    const bad = failure('default: { low: 100, critical: 20 }\ncatalogue_drop:\n  max_loss_fraction: 1.5\n');
    expect(bad.message).toContain(
      'thresholds.yaml:3 catalogue_drop.max_loss_fraction: max_loss_fraction must be at most 1',
    );
  });

  it('reads the documented example', () => {
    const config = parseThresholdsYaml(example);
    expect(config).toEqual({
      default: { low: 100, critical: 20 },
      renotifyMs: 4 * 3_600_000,
      products: [
        {
          match: 'NNZBXXE1X',
          low: 500,
          critical: 100,
          recovery: 25,
          for: 2,
          channel: 'C0123ABCD',
          horizonMs: 14 * 86_400_000,
        },
      ],
    });
  });

  it('reads which level pages PagerDuty, defaulting to critical', () => {
    const config = parseThresholdsYaml(`${example}  - match: TESTP1XXX\n    pagerduty: warning\n`);
    expect(config.products[1]).toEqual({ match: 'TESTP1XXX', pagerduty: 'low' });
    const ruleFor = ruleResolver(config);
    expect(ruleFor({ productId: 'x', productCode: 'TESTP1XXX' }).pagerduty).toBe('low');
    expect(ruleFor({ productId: 'y', productCode: 'NNZBXXE1X' }).pagerduty).toBe('critical');
    expect(failure(example.replace('for: 2', 'pagerduty: sometimes')).problems).toEqual([
      {
        line: 8,
        field: 'products[0].pagerduty',
        message: 'pagerduty must be low or critical (the lowest level that pages)',
      },
    ]);
  });

  it('still reads the deprecated warning, warningRunway and pagerduty: warning as low', () => {
    const config = parseThresholdsYaml(
      'default: { warning: 100, critical: 20, warningRunway: 21d }\nproducts:\n  - match: A\n    warning: 500\n    pagerduty: warning\n',
    );
    expect(config.default).toEqual({ low: 100, critical: 20, lowRunwayMs: 21 * 86_400_000 });
    expect(config.products[0]).toEqual({ match: 'A', low: 500, pagerduty: 'low' });
    expect(
      failure('default: { low: 100, critical: 20 }\nproducts:\n  - match: A\n    low: 5\n    warning: 6\n').problems,
    ).toEqual([{ line: 5, field: 'products[0].warning', message: 'give low only (warning is its old name)' }]);
  });

  it('names the line and field at fault', () => {
    const error = failure(example.replace('critical: 100', 'critical: lots'));
    expect(error.problems).toEqual([
      { line: 6, field: 'products[0].critical', message: 'critical must be a number of licenses' },
    ]);
    expect(error.message).toContain('thresholds.yaml:6 products[0].critical: critical must be a number of licenses');
  });

  it('catches critical above low, unknown keys, bad channels and YAML syntax', () => {
    expect(failure('default: { low: 10, critical: 20 }').problems[0]).toMatchObject({
      line: 1,
      field: 'default.critical',
    });
    expect(failure('default: { low: 10, critical: 5 }\nthreshold: 3').problems[0]).toMatchObject({
      line: 1,
      message: expect.stringContaining('threshold'),
    });
    expect(failure(example.replace('C0123ABCD', '#general')).problems[0]).toMatchObject({
      line: 9,
      field: 'products[0].channel',
    });
    expect(failure('default: { low: 10, critical: 5\n').problems[0]?.field).toBe('(syntax)');
    expect(failure('products: []').problems[0]?.field).toBe('default');
  });
});

describe('mention', () => {
  it('accepts user ids, user group ids, here and channel, and refuses anything else by line', () => {
    const config = parseThresholdsYaml(
      'default: { low: 100, critical: 20, mention: [U0ONCALL, S0NETOPS, here] }\nproducts:\n  - match: NNZBXXE1X\n    mention: [channel]\n',
    );
    expect(ruleResolver(config)({ productId: 'x', productCode: 'OTHER' }).mention).toEqual([
      'U0ONCALL',
      'S0NETOPS',
      'here',
    ]);
    expect(ruleResolver(config)({ productId: 'y', productCode: 'NNZBXXE1X' }).mention).toEqual(['channel']);
    expect(
      ruleResolver(parseThresholdsYaml('default: { low: 1, critical: 0 }'))({ productId: 'z', productCode: 'Z' })
        .mention,
    ).toEqual([]);
    expect(() =>
      parseThresholdsYaml(
        'default: { low: 100, critical: 20 }\nproducts:\n  - match: A\n    mention: ["<!everyone>"]\n',
      ),
    ).toThrow(/:4 products\[0\]\.mention\[0\]: mention entries must be Slack user ids/);
  });
});

describe('ruleResolver', () => {
  it('prefers an override, then a product rule (by code or id), then the default', () => {
    const config = parseThresholdsYaml(example);
    const resolve = ruleResolver(config, new Map([['CCZBXXE1X', { low: 70, critical: 7 }]]));
    expect(resolve({ productId: 'x', productCode: 'nnzbxxe1x' })).toMatchObject({
      low: 500,
      critical: 100,
      recovery: 25,
      for: 2,
      source: 'rule',
    });
    expect(resolve({ productId: 'y', productCode: 'CCZBXXE1X' })).toMatchObject({
      low: 70,
      critical: 7,
      source: 'override',
    });
    expect(resolve({ productId: 'z', productCode: 'AAAAXXE1X' })).toMatchObject({
      low: 100,
      critical: 20,
      recovery: 0,
      for: 1,
      source: 'default',
    });
  });

  it('reads runway thresholds (durations, or off) and names the line of a bad one', () => {
    const config = parseThresholdsYaml(
      'default: { low: 100, critical: 20, lowRunway: 21d, criticalRunway: 72h }\nproducts:\n  - match: A\n    lowRunway: off\n',
    );
    expect(config.default).toMatchObject({ lowRunwayMs: 21 * 86_400_000, criticalRunwayMs: 3 * 86_400_000 });
    expect(ruleResolver(config)({ productId: 'x', productCode: 'A' })).toMatchObject({
      lowRunwayMs: 0,
      criticalRunwayMs: 3 * 86_400_000,
    });
    expect(ruleResolver(config)({ productId: 'x', productCode: 'B' }).lowRunwayMs).toBe(21 * 86_400_000);
    const bad = failure('default: { low: 100, critical: 20 }\nproducts:\n  - match: A\n    criticalRunway: soon\n');
    expect(bad.message).toContain('thresholds.yaml:4 products[0].criticalRunway: criticalRunway must be a duration');
    const order = failure('default:\n  low: 100\n  critical: 20\n  lowRunway: 2d\n  criticalRunway: 5d\n');
    expect(order.problems).toEqual([
      { line: 5, field: 'default.criticalRunway', message: 'criticalRunway must not be longer than lowRunway' },
    ]);
  });
});

describe('parseThresholdsYaml: accepted values and where problems are reported', () => {
  it('accepts critical equal to low, pagerduty: critical and runway_basis: pessimistic as written', () => {
    const config = parseThresholdsYaml(
      'default: { low: 20, critical: 20 }\nrunway_basis: pessimistic\nproducts:\n  - match: A\n    pagerduty: critical\n',
    );
    expect(config.default).toEqual({ low: 20, critical: 20 });
    expect(config.runwayBasis).toBe('pessimistic');
    expect(config.products).toEqual([{ match: 'A', pagerduty: 'critical' }]);
  });

  it('renames only the pagerduty value "warning": a product matched by the code "warning" keeps it', () => {
    const config = parseThresholdsYaml(
      'default: { low: 20, critical: 5 }\nproducts:\n  - match: warning\n    low: 30\n',
    );
    expect(config.products).toEqual([{ match: 'warning', low: 30 }]);
  });

  it('names the default rule when it gives both the old and the new name', () => {
    expect(failure('default: { low: 100, warning: 90, critical: 20 }\n').problems).toEqual([
      { line: 1, field: 'default.warning', message: 'give low only (warning is its old name)' },
    ]);
  });

  it('calls the file "thresholds file" in its errors when not told its name', () => {
    expect(() => parseThresholdsYaml('default: { low: 1, critical: 5 }\n')).toThrow(
      'thresholds file: invalid threshold file\n  thresholds file:1 default.critical: critical must not be above low',
    );
  });
});
