/** A pool's readings, oldest first, as a bot's history stores them. */
export interface PoolHistory {
  productId: string;
  points: readonly { at: number; available: number }[];
}

/** What a pool lost in one UTC day: units allocated to customers, at the day's last drop. */
export interface DailyDrop {
  productId: string;
  /** The reading that ended the day's last drop (epoch ms): in that day, so in its report month. */
  at: number;
  units: number;
}

const DAY = 86_400_000;

/**
 * The drops of a pool's readings, summed per UTC day: every fall between two readings is licenses
 * allocated to customers (counted on the day of the later reading); a rise is a refill (a purchase,
 * an auto-refill or returns), which is no customer allocation and is not counted. Per product and
 * month, the drops of the readings and of the result are the same numbers.
 *
 * @example
 * ```ts
 * dailyDrops({ productId: 'p', points: [{ at: 0, available: 10 }, { at: 3_600_000, available: 7 }] })
 * // [{ productId: 'p', at: 3_600_000, units: 3 }]
 * ```
 */
export function dailyDrops(history: PoolHistory): DailyDrop[] {
  const byDay = new Map<number, DailyDrop>();
  history.points.forEach((point, index) => {
    const previous = history.points[index - 1];
    if (!previous || point.available >= previous.available) return;
    const day = Math.floor(point.at / DAY);
    const drop = byDay.get(day) ?? { productId: history.productId, at: point.at, units: 0 };
    drop.units += previous.available - point.available;
    drop.at = point.at;
    byDay.set(day, drop);
  });
  return [...byDay.values()];
}
