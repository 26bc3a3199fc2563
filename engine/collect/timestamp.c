#include <math.h>
#include <stddef.h>

#include "collect/timestamp.h"

/* Days between 1970-01-01 and 0000-01-01 / 9999-12-31: the range we print
 * with four year digits. */
#define MIN_EPOCH (-719528LL * 86400)
#define MAX_EPOCH (2932896LL * 86400 + 86399)

static int fail(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return -1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Exactly n digits at *s; advances *s. */
static int take_digits(const char **s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!is_digit((*s)[i]))
            return -1;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return 0;
}

static int take_char(const char **s, char c)
{
    if (**s != c)
        return -1;
    (*s)++;
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31 };

    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm: eras of 400 years, years starting in March so the leap day
 * comes last). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);

    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = m;
    *year = (int)(yoe + era * 400 + (m <= 2));
}

/* ".607" or ".607000": the digits after the point, truncated to ms. */
static int take_fraction(const char **s, struct ecp_timestamp *ts)
{
    int ms = 0, n = 0;

    if (**s != '.')
        return 0;
    (*s)++;
    while (is_digit(**s)) {
        if (n < 3)
            ms = ms * 10 + (**s - '0');
        n++;
        (*s)++;
    }
    if (n == 0)
        return -1;
    for (int i = n; i < 3; i++)
        ms *= 10;
    ts->millis = ms;
    ts->has_millis = 1;
    return 0;
}

/* "Z", "+HH:MM", "+HHMM" or "+HH": seconds east of UTC. */
static int take_offset(const char **s, int *offset, const char **why)
{
    int sign, hh, mm = 0;

    if (**s == 'Z' || **s == 'z') {
        (*s)++;
        *offset = 0;
        return 0;
    }
    if (**s != '+' && **s != '-')
        return fail(why, **s ? "expected Z or a UTC offset after the time"
                             : "no time zone (Z or a UTC offset)");
    sign = **s == '-' ? -1 : 1;
    (*s)++;
    if (take_digits(s, 2, &hh) != 0)
        return fail(why, "bad UTC offset");
    if (**s == ':' || is_digit(**s)) {
        if (**s == ':')
            (*s)++;
        if (take_digits(s, 2, &mm) != 0)
            return fail(why, "bad UTC offset");
    }
    if (hh > 23 || mm > 59)
        return fail(why, "UTC offset out of range");
    *offset = sign * (hh * 3600 + mm * 60);
    return 0;
}

static int parse_iso(const char *s, struct ecp_timestamp *ts, const char **why)
{
    int y, mo, d, h, mi, sec, offset;

    if (take_digits(&s, 4, &y) || take_char(&s, '-') ||
        take_digits(&s, 2, &mo) || take_char(&s, '-') ||
        take_digits(&s, 2, &d))
        return fail(why, "expected YYYY-MM-DD");
    if (*s != 'T' && *s != 't' && *s != ' ')
        return fail(why, "expected T between the date and the time");
    s++;
    if (take_digits(&s, 2, &h) || take_char(&s, ':') ||
        take_digits(&s, 2, &mi) || take_char(&s, ':') ||
        take_digits(&s, 2, &sec))
        return fail(why, "expected HH:MM:SS after the date");
    if (take_fraction(&s, ts) != 0)
        return fail(why, "no digits after the decimal point");
    if (take_offset(&s, &offset, why) != 0)
        return -1;
    if (*s)
        return fail(why, "unexpected text after the time zone");
    if (mo < 1 || mo > 12)
        return fail(why, "no such month");
    if (d < 1 || d > days_in_month(y, mo))
        return fail(why, "no such day in that month");
    if (h > 23 || mi > 59 || sec > 59)
        return fail(why, "no such time of day");
    ts->epoch = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
                sec - offset;
    if (ts->epoch < MIN_EPOCH || ts->epoch > MAX_EPOCH)
        return fail(why, "outside the years 0000 to 9999 in UTC");
    return 0;
}

/* Decimal epoch seconds, "1422840106" or "1422840106.607". */
static int parse_epoch(const char *s, struct ecp_timestamp *ts,
                       const char **why)
{
    int64_t v = 0;
    int n = 0;

    while (is_digit(*s)) {
        if (++n > 12)
            return fail(why, "outside the years 0000 to 9999 in UTC");
        v = v * 10 + (*s++ - '0');
    }
    if (take_fraction(&s, ts) != 0)
        return fail(why, "no digits after the decimal point");
    if (*s)
        return fail(why, "not a date and time, nor epoch seconds");
    if (v > MAX_EPOCH)
        return fail(why, "outside the years 0000 to 9999 in UTC");
    ts->epoch = v;
    return 0;
}

int ecp_timestamp_parse(const char *text, struct ecp_timestamp *ts,
                        const char **why)
{
    int len = 0;

    ts->epoch = 0;
    ts->millis = 0;
    ts->has_millis = 0;
    while (is_digit(text[len]))
        len++;
    if (len == 0)
        return fail(why, text[0] ? "not a date and time, nor epoch seconds"
                                 : "empty");
    if (len == 4 && text[4] == '-')
        return parse_iso(text, ts, why);
    return parse_epoch(text, ts, why);
}

int ecp_timestamp_from_seconds(double seconds, struct ecp_timestamp *ts,
                               const char **why)
{
    double whole, micros;

    ts->epoch = 0;
    ts->millis = 0;
    ts->has_millis = 0;
    if (!isfinite(seconds) || seconds < (double)MIN_EPOCH ||
        seconds >= (double)MAX_EPOCH + 1)
        return fail(why, "outside the years 0000 to 9999 in UTC");
    whole = floor(seconds);
    micros = round((seconds - whole) * 1e6);
    ts->epoch = (int64_t)whole;
    if (seconds != whole) {
        ts->has_millis = 1;
        if (micros >= 1e6) {   /* rounding reached the next second */
            ts->epoch++;
            micros = 0;
        }
        ts->millis = (int)(micros / 1000);
    }
    if (ts->epoch > MAX_EPOCH)
        return fail(why, "outside the years 0000 to 9999 in UTC");
    return 0;
}

static char *put_digits(char *p, int value, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + value % 10);
        value /= 10;
    }
    return p + width;
}

void ecp_timestamp_format(const struct ecp_timestamp *ts,
                          char out[ECP_TIMESTAMP_SIZE])
{
    int64_t days = ts->epoch / 86400, secs = ts->epoch % 86400;
    int y, mo, d;
    char *p = out;

    if (secs < 0) {
        secs += 86400;
        days--;
    }
    civil_from_days(days, &y, &mo, &d);
    p = put_digits(p, y, 4);
    *p++ = '-';
    p = put_digits(p, mo, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    *p++ = 'T';
    p = put_digits(p, (int)(secs / 3600), 2);
    *p++ = ':';
    p = put_digits(p, (int)(secs / 60 % 60), 2);
    *p++ = ':';
    p = put_digits(p, (int)(secs % 60), 2);
    if (ts->has_millis) {
        *p++ = '.';
        p = put_digits(p, ts->millis, 3);
    }
    *p++ = 'Z';
    *p = '\0';
}

int ecp_timestamp_normalize(const char *text, char out[ECP_TIMESTAMP_SIZE],
                            const char **why)
{
    struct ecp_timestamp ts;

    if (ecp_timestamp_parse(text, &ts, why) != 0)
        return -1;
    ecp_timestamp_format(&ts, out);
    return 0;
}
