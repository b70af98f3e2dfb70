import { TimeoutConfigDto } from '@switchboard/common';

/** Any subset of the session's timeout config; the rest stays as it is. */
export class UpdateTimeoutDto extends TimeoutConfigDto {}
