import type { JobQueue } from "~/jobs/types";

/** Resolves with the id of the next completed job called `name`; rejects when any job is dead-lettered. */
export function nextCompleted(queue: Pick<JobQueue, "on">, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const offDone = queue.on("completed", (job) => {
      if (job.name !== name) return;
      offDone();
      offDead();
      resolve(job.id);
    });
    const offDead = queue.on("dead", (letter) => {
      offDone();
      offDead();
      reject(new Error(`${letter.name} dead: ${letter.error}`));
    });
  });
}
