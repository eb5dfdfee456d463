// Manager updates address rows by id: a missing row (Prisma P2025) is the client's NOT_FOUND, while
// any other failure stays unexpected (masked), never mislabelled as NOT_FOUND.
import { Prisma } from '@prisma/client';
import { notFound } from '../errors.ts';

/** Runs an update by id; a missing row is NOT_FOUND naming `what`. */
export async function updateOrNotFound<T>(update: Promise<T>, what: string): Promise<T> {
  try {
    return await update;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') throw notFound(what);
    throw error;
  }
}
