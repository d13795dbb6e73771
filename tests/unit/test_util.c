/* test_util.c - util.h's decimal formatting (dec_u64, buf_put_u64) against
 * snprintf's "%llu", which the tally file wrote before and must still match
 * byte for byte. */
#include "check.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* 1 when dec_u64(v) is exactly snprintf("%llu", v); else prints v. */
static int same(uint64_t v)
{
    char want[32], got[DEC_U64_MAX + 1];
    int wn = snprintf(want, sizeof want, "%llu", (unsigned long long)v);
    memset(got, 'x', sizeof got);
    size_t n = dec_u64(got, v);
    if ((int)n == wn && memcmp(got, want, n) == 0 && got[n] == 'x')
        return 1;
    printf("# %s: got %.*s (%zu digits)\n", want, (int)n, got, n);
    return 0;
}

static void test_dec_u64(void)
{
    int ok = 1;
    for (uint64_t v = 0; v <= 200000 && ok; v++)
        ok &= same(v);
    CHECK(ok, "0 .. 200000 as %llu");
    ok = 1;
    uint64_t p = 1;
    for (int e = 0; e <= 19; e++, p *= 10) /* 10^19 still fits */
        for (int d = -2; d <= 2; d++)
            if (!(e == 0 && d < 0))
                ok &= same(p + (uint64_t)(int64_t)d);
    CHECK(ok, "powers of ten, and two either side (digit count changes)");
    ok = 1;
    for (int b = 0; b < 64; b++) {
        uint64_t t = (uint64_t)1 << b;
        ok &= same(t) && same(t - 1) && same(t + 1) && same(~t);
    }
    ok &= same(UINT64_MAX) && same(UINT64_MAX - 1) && same(UINT32_MAX) &&
          same((uint64_t)UINT32_MAX + 1) && same(9999999999999999999ull) &&
          same(10000000000000000000ull);
    CHECK(ok, "powers of two, their neighbours, UINT32_MAX, UINT64_MAX");
    ok = 1;
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 1000000 && ok; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        ok &= same(s >> (i % 64)); /* every length of number */
    }
    CHECK(ok, "a million random values of every length");
}

static void test_buf_put_u64(void)
{
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "n=");
    buf_put_u64(&b, 0);
    buf_putc(&b, ',');
    buf_put_u64(&b, UINT64_MAX);
    CHECK_STR(b.p, "n=0,18446744073709551615", "appended, NUL-terminated");
    CHECK_INT(b.len, strlen(b.p), "length kept");
    buf_fini(&b);
}

int main(void)
{
    test_dec_u64();
    test_buf_put_u64();
    return check_done();
}
