/* libFuzzer: the BCD device decoder. Whenever decode accepts a blob, encode
 * must reproduce it byte for byte; rendering and re-parsing must not crash.
 * The same input read as text exercises the parser: whatever it accepts and
 * the encoder writes, the decoder must read back exactly. */
#include <stdlib.h>
#include <string.h>

#include "bcd/device.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void text_round_trip(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct wr_bcd_devval dv, back;
    uint8_t *enc = NULL, *again = NULL;
    size_t len = 0, len2 = 0;

    if (!text)
        return;
    memcpy(text, data, size);
    text[size] = '\0';
    if (wr_bcd_device_parse(text, NULL, &dv, NULL) == WR_OK) {
        if (wr_bcd_device_encode(&dv, &enc, &len, NULL) == WR_OK) {
            if (wr_bcd_device_decode(enc, len, &back, NULL) != WR_OK ||
                wr_bcd_device_encode(&back, &again, &len2, NULL) != WR_OK || len2 != len ||
                memcmp(again, enc, len) != 0)
                abort();
            wr_bcd_device_clear(&back.dev);
            wr_free(again);
            wr_free(enc);
        }
        wr_bcd_device_clear(&dv.dev);
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    text_round_trip(data, size);
    struct wr_bcd_devval dv, back;
    struct wr_err err;
    struct wr_text t = { 0 };
    uint8_t *enc = NULL;
    size_t len = 0;

    if (wr_bcd_device_decode(data, size, &dv, &err) != WR_OK)
        return 0;
    if (wr_bcd_device_encode(&dv, &enc, &len, &err) != WR_OK || len != size ||
        memcmp(enc, data, size) != 0)
        abort();
    wr_free(enc);
    wr_bcd_device_render(&t, &dv, 0, NULL, NULL);
    if (t.data && wr_bcd_device_parse(t.data, NULL, &back, &err) == WR_OK) {
        if (wr_bcd_device_encode(&back, &enc, &len, &err) == WR_OK)
            wr_free(enc);
        wr_bcd_device_clear(&back.dev);
    }
    wr_text_free(&t);
    wr_bcd_device_clear(&dv.dev);
    return 0;
}
