import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channelsFromHash } from '../src/app.js';

test('channels come from the address fragment', () => {
  assert.deepEqual(channelsFromHash('#parley'), ['#parley']);
  assert.deepEqual(channelsFromHash('#a,#b'), ['#a', '#b']);
  assert.deepEqual(channelsFromHash('#%23a,%23b'), ['#a', '#b']);
  assert.deepEqual(channelsFromHash('#a,b, &c'), ['#a', '#b', '&c']);
  assert.deepEqual(channelsFromHash(''), []);
  assert.deepEqual(channelsFromHash('#'), []);
});
