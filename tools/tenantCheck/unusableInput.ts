/** The input cannot be checked at all (exit 2); the message is the one line the admin sees. */
export class UnusableInput extends Error {}
