/* AWS timestamps: both AWS CLI forms, offsets, leap years, epoch seconds,
 * and the input that must be refused. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "collect/timestamp.h"
#include "harness.h"

static void normalizes(const char *in, const char *want)
{
    char out[ECP_TIMESTAMP_SIZE] = "";
    const char *why = NULL;
    int rc = ecp_timestamp_normalize(in, out, &why);

    CHECK(rc == 0, "%s parses%s%s", in, why ? ": " : "", why ? why : "");
    CHECK_STR(rc == 0 ? out : NULL, want, "%s -> %s", in, want);
}

static void refuses(const char *in, const char *why_part)
{
    char out[ECP_TIMESTAMP_SIZE];
    const char *why = NULL;
    int rc = ecp_timestamp_normalize(in, out, &why);

    CHECK(rc == -1, "\"%s\" is refused", in);
    CHECK_HAS(why, why_part, "\"%s\": the reason says %s", in, why_part);
}

static void from_seconds(double s, const char *want)
{
    struct ecp_timestamp ts;
    char out[ECP_TIMESTAMP_SIZE] = "";
    int rc = ecp_timestamp_from_seconds(s, &ts, NULL);

    if (rc == 0)
        ecp_timestamp_format(&ts, out);
    CHECK_STR(rc == 0 ? out : NULL, want, "%.6f seconds -> %s", s, want);
}

static void epoch_of(const char *in, int64_t want)
{
    struct ecp_timestamp ts = { 0 };
    int rc = ecp_timestamp_parse(in, &ts, NULL);

    CHECK(rc == 0 && ts.epoch == want, "%s is %lld seconds (got %lld)", in,
          (long long)want, (long long)ts.epoch);
}

static void cli_forms(void)
{
    normalizes("2015-02-02T01:21:46.607Z", "2015-02-02T01:21:46.607Z");
    normalizes("2015-02-02T01:21:46.607000+00:00",
               "2015-02-02T01:21:46.607Z");
    normalizes("2015-02-02T01:21:46Z", "2015-02-02T01:21:46Z");
    normalizes("2015-02-02T01:21:46+00:00", "2015-02-02T01:21:46Z");
    normalizes("2015-02-02 01:21:46.607000+00:00",
               "2015-02-02T01:21:46.607Z");
    normalizes("2015-02-02t01:21:46z", "2015-02-02T01:21:46Z");
    /* what moto and some SDKs print: microseconds with Z */
    normalizes("2026-12-01T19:21:43.353688Z", "2026-12-01T19:21:43.353Z");
}

static void fractions(void)
{
    normalizes("2015-02-02T01:21:46.6Z", "2015-02-02T01:21:46.600Z");
    normalizes("2015-02-02T01:21:46.06Z", "2015-02-02T01:21:46.060Z");
    normalizes("2015-02-02T01:21:46.000Z", "2015-02-02T01:21:46.000Z");
    /* truncated, never rounded up into the next second */
    normalizes("2015-02-02T01:21:46.9999999Z", "2015-02-02T01:21:46.999Z");
    normalizes("2015-12-31T23:59:59.9999+00:00", "2015-12-31T23:59:59.999Z");
}

static void offsets(void)
{
    normalizes("2015-02-02T03:21:46.607+02:00", "2015-02-02T01:21:46.607Z");
    normalizes("2015-02-01T20:21:46-05:00", "2015-02-02T01:21:46Z");
    normalizes("2015-02-02T06:51:46+0530", "2015-02-02T01:21:46Z");
    normalizes("2015-02-02T06:21:46+05", "2015-02-02T01:21:46Z");
    normalizes("2015-02-02T01:21:46-00:00", "2015-02-02T01:21:46Z");
    /* across a day, a month, a year */
    normalizes("2000-01-01T00:30:00+01:00", "1999-12-31T23:30:00Z");
    normalizes("1999-12-31T23:30:00-01:00", "2000-01-01T00:30:00Z");
    normalizes("2024-03-01T00:00:00+14:00", "2024-02-29T10:00:00Z");
    normalizes("2023-03-01T05:00:00+10:00", "2023-02-28T19:00:00Z");
}

static void leap_years(void)
{
    normalizes("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z");
    normalizes("2000-02-29T12:00:00Z", "2000-02-29T12:00:00Z");
    normalizes("1600-02-29T00:00:00Z", "1600-02-29T00:00:00Z");
    refuses("2023-02-29T12:00:00Z", "no such day");
    refuses("1900-02-29T12:00:00Z", "no such day");
    refuses("2100-02-29T12:00:00Z", "no such day");
    refuses("2024-02-30T12:00:00Z", "no such day");
    refuses("2024-04-31T12:00:00Z", "no such day");
    epoch_of("2024-02-29T00:00:00Z", 1709164800);
    epoch_of("2000-03-01T00:00:00Z", 951868800);
    epoch_of("1970-01-01T00:00:00Z", 0);
    epoch_of("1969-12-31T23:59:59Z", -1);
    epoch_of("2015-02-02T01:21:46.607Z", 1422840106);
}

static void epoch_seconds(void)
{
    normalizes("1422840106", "2015-02-02T01:21:46Z");
    normalizes("1422840106.607", "2015-02-02T01:21:46.607Z");
    normalizes("0", "1970-01-01T00:00:00Z");
    from_seconds(1422840106, "2015-02-02T01:21:46Z");
    /* the double is 1422840106.6069998...: still .607 */
    from_seconds(1422840106.607, "2015-02-02T01:21:46.607Z");
    from_seconds(1422840106.5, "2015-02-02T01:21:46.500Z");
    from_seconds(0, "1970-01-01T00:00:00Z");
    from_seconds(-1, "1969-12-31T23:59:59Z");
    from_seconds(-1.5, "1969-12-31T23:59:58.500Z");
    from_seconds(253402300799.0, "9999-12-31T23:59:59Z");

    struct ecp_timestamp ts;
    int nan_rc = ecp_timestamp_from_seconds(NAN, &ts, NULL);
    int inf_rc = ecp_timestamp_from_seconds(INFINITY, &ts, NULL);
    int big_rc = ecp_timestamp_from_seconds(1e20, &ts, NULL);
    int far_rc = ecp_timestamp_from_seconds(253402300800.0, &ts, NULL);

    CHECK(nan_rc == -1, "NaN seconds are refused");
    CHECK(inf_rc == -1, "infinite seconds are refused");
    CHECK(big_rc == -1, "1e20 seconds are refused");
    CHECK(far_rc == -1, "the year 10000 is refused");
}

static void range(void)
{
    normalizes("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z");
    normalizes("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z");
    epoch_of("0000-01-01T00:00:00Z", -62167219200LL);
    refuses("0000-01-01T00:00:00+00:01", "0000 to 9999");
    refuses("9999-12-31T23:59:59-00:01", "0000 to 9999");
    refuses("9999999999999", "0000 to 9999");
}

static void bad_input(void)
{
    refuses("", "empty");
    refuses("yesterday", "not a date");
    refuses("2015-13-01T00:00:00Z", "no such month");
    refuses("2015-00-10T00:00:00Z", "no such month");
    refuses("2015-02-00T00:00:00Z", "no such day");
    refuses("2015-02-02T24:00:00Z", "no such time");
    refuses("2015-02-02T23:60:00Z", "no such time");
    refuses("2015-02-02T23:59:60Z", "no such time");
    refuses("2015-02-02T01:21:46", "no time zone");
    refuses("2015-02-02T01:21:46.Z", "no digits after the decimal point");
    refuses("2015-02-02T01:21:46Zjunk", "unexpected text");
    refuses("2015-02-02T01:21:46+24:00", "offset out of range");
    refuses("2015-02-02T01:21:46+05:", "bad UTC offset");
    refuses("2015-02-02T01:21:46 UTC", "expected Z or a UTC offset");
    refuses("2015-2-2T01:21:46Z", "expected YYYY-MM-DD");
    refuses("2015-02-02", "expected T");
    refuses("2015-02-02T1:21:46Z", "expected HH:MM:SS");
    refuses(" 2015-02-02T01:21:46Z", "not a date");
    refuses("1422840106x", "not a date");
    refuses("-1422840106", "not a date");
}

/* Every few days from year 0 to 9999: format and parse agree, and where
 * the C library can say (gmtime_r is UTC by definition), so does it. */
static void agrees_with_itself_and_gmtime(void)
{
    int bad_round_trip = 0, bad_gmtime = 0;

    for (int64_t t = -62167219200LL; t < 253402300799LL; t += 86400 * 3 + 3607) {
        struct ecp_timestamp ts = { t, 123, 1 }, back;
        char s[ECP_TIMESTAMP_SIZE];

        ecp_timestamp_format(&ts, s);
        if (ecp_timestamp_parse(s, &back, NULL) != 0 || back.epoch != t ||
            back.millis != 123)
            bad_round_trip++;
        if (t >= -2208988800LL && t < 4102444800LL) {   /* 1900 - 2100 */
            time_t tt = (time_t)t;
            struct tm tm;
            char want[ECP_TIMESTAMP_SIZE];

            gmtime_r(&tt, &tm);
            strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S.123Z", &tm);
            if (strcmp(want, s) != 0)
                bad_gmtime++;
        }
    }
    CHECK(bad_round_trip == 0, "format then parse gives the same time "
          "(%d differ)", bad_round_trip);
    CHECK(bad_gmtime == 0, "the civil dates match gmtime_r (%d differ)",
          bad_gmtime);
}

static void no_tz_dependence(void)
{
    setenv("TZ", "Asia/Kolkata", 1);
    tzset();
    normalizes("2015-02-02T01:21:46.607000+00:00",
               "2015-02-02T01:21:46.607Z");
    from_seconds(1422840106, "2015-02-02T01:21:46Z");
    setenv("TZ", "America/St_Johns", 1);
    tzset();
    normalizes("2015-02-02T03:21:46+02:00", "2015-02-02T01:21:46Z");
}

int main(void)
{
    cli_forms();
    fractions();
    offsets();
    leap_years();
    epoch_seconds();
    range();
    bad_input();
    agrees_with_itself_and_gmtime();
    no_tz_dependence();
    return harness_done();
}
