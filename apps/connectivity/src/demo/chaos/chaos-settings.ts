import { IsBoolean, IsInt, IsNumber, Max, Min } from 'class-validator';

/**
 * The faults connectivity injects into `POST /messages`, the route billing delivers to. Each
 * switch is independent; all off is the normal service.
 */
export class ChaosSettings {
  /** Every delivery's connection is reset at once: for billing, connectivity is down. */
  @IsBoolean()
  down = false;

  /** Each delivery waits this long before it is handled (0: no delay). */
  @IsInt()
  @Min(0)
  @Max(120_000)
  delayMs = 0;

  /** The share of deliveries answered 503 without being handled (0 to 1). */
  @IsNumber()
  @Min(0)
  @Max(1)
  unavailableRate = 0;

  /**
   * Each delivery is handled (the message stored) but its answer is never sent: the connection
   * is reset instead. The sender cannot know it succeeded, retries, and meets a 409.
   */
  @IsBoolean()
  dropResponses = false;
}

/** The switches as they stand; replaced whole by `PUT /admin/chaos`. */
export class ChaosSwitches {
  private current = new ChaosSettings();

  get settings(): ChaosSettings {
    return this.current;
  }

  set(settings: ChaosSettings): void {
    this.current = Object.assign(new ChaosSettings(), settings);
  }
}
