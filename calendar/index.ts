/** Colombian business days and the notice schedule: pure functions, safe inside workflow code. */
export * from './business-calendar';
export * from './policy';
export * from './periods';
export * from './reason';
export * from './schedule';
export * from './agenda';
export * from './notice-order';
export * from './holidays-report';
