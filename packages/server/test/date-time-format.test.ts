import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { isDateTime } from '../src/date-time-format.ts';
import { formats } from '../src/validation-runtime.ts';

const reference = (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate;

const samples = [
  '2026-11-02T08:00:00Z',
  '2026-11-02t08:00:00z',
  '2026-11-02 08:00:00Z',
  '2026-11-02T08:00:00.123456+01:00',
  '2026-11-02T08:00:00-0530',
  '2026-11-02T08:00:00+05',
  '2026-11-02T08:00:00',
  '2026-11-02T08:00Z',
  '2026-11-02TT08:00:00Z',
  '2026-11-02T08:00:00Z ',
  ' 2026-11-02T08:00:00Z',
  '2026-11-02\t08:00:00Z',
  '2026-11-02\n08:00:00Z',
  '2024-02-29T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-00-10T00:00:00Z',
  '2026-13-10T00:00:00Z',
  '2026-12-00T00:00:00Z',
  '2026-12-31T24:00:00Z',
  '2026-12-31T23:60:00Z',
  '2026-12-31T23:59:60Z',
  '2026-12-31T23:59:60.5Z',
  '2026-12-31T23:59:61Z',
  '2026-12-31T22:59:60Z',
  '2026-12-31T22:59:60-01:00',
  '2027-01-01T00:59:60+01:00',
  '2026-12-31T23:59:59+24:00',
  '2026-12-31T23:59:59+23:60',
  '2026-12-31T23:59:59+23:59',
  '2026-12-31T23:59:59.Z',
  '20261231T235959Z',
  '2026-12-31',
  '',
  '2026-11-02T08:00:00Z\n',
  'not a date',
];

describe('date-time format', () => {
  it.each(samples)('agrees with ajv-formats on %j', (sample) => {
    expect(isDateTime(sample)).toBe(reference(sample));
  });

  it('is the date-time checker validators use', () => {
    expect((formats['date-time'] as { validate: unknown }).validate).toBe(isDateTime);
  });
});
