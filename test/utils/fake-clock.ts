export { FakeClock } from '@switchboard/testing';
