/** The baseline burst's one activity: a plain message through nodemailer's pooled transport. */
import nodemailer from 'nodemailer';

export interface BenchActivities {
  benchMail(n: number): Promise<void>;
}

export function createBenchActivities(smtpUrl: string): BenchActivities & { close(): void } {
  const transport = nodemailer.createTransport(`${smtpUrl}?pool=true`);
  return {
    async benchMail(n) {
      await transport.sendMail({
        from: 'bench@localhost',
        to: 'oapla@localhost',
        subject: `Aviso ${n}`,
        text: `Aviso ${n}`,
        messageId: `<bench-${n}@localhost>`,
      });
    },
    close: () => transport.close(),
  };
}
