export { until, within } from '@switchboard/testing';
