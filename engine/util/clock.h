#ifndef ECP_UTIL_CLOCK_H
#define ECP_UTIL_CLOCK_H

/* The monotonic clock, for deadlines and timings (never the time of day):
 * milliseconds and seconds from an arbitrary start. */
long long ecp_clock_ms(void);
double ecp_clock_seconds(void);

#endif
