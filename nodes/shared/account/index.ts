export * from '../api/catalogue';
export * from '../api/account';
