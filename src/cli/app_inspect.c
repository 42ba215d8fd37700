/* mkdom0 inspect: show what a spec or a built image holds. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "spec/spec.h"
#include "image/imgdir.h"

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: mkdom0 inspect --default-spec\n"
        "       mkdom0 inspect --bases\n"
        "       mkdom0 inspect --base-spec NAME\n"
        "       mkdom0 inspect DIR\n\n"
        "--default-spec prints the embedded default spec: the reference dom0, and\n"
        "a starting point for your own (`[Image] Base=default` plus changes).\n"
        "--bases lists the embedded bases a spec can start from (`[Image] Base=NAME`);\n"
        "--base-spec NAME prints one of them.\n"
        "DIR: an image directory written by `mkdom0 build`; prints its image.ini,\n"
        "its packages (manifest) and its size report, and checks that the rootfs\n"
        "file image.ini names has the SHA-256 it records (exit 1 if not).\n");
}

/* The length of the well-formed UTF-8 sequence at p (n bytes left), or 0;
 * a C1 control (U+0080..U+009F) counts as not well formed. */
static size_t utf8_char(const unsigned char *p, size_t n)
{
    size_t k = p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
             : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
    if (!k || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if (p[0] == 0xc2 && p[1] < 0xa0)
        return 0;
    return k;
}

/* The file's text with every byte a terminal could act on written as
 * \xNN: control characters but newline and tab, DEL, C1 controls and bytes
 * that are no part of UTF-8.  An image directory may be someone else's,
 * and its image.ini must not set the terminal's title or fake a verdict
 * with colours (trial 9c case 11). */
static void put_text(const unsigned char *s, size_t len, FILE *f)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        size_t k = c >= 0x80 ? utf8_char(s + i, len - i) : 1;
        if (k == 1 && (c >= 0x20 || c == '\n' || c == '\t') && c != 0x7f)
            fputc(c, f);
        else if (k > 1)
            fwrite(s + i, 1, k, f);
        else
            fprintf(f, "\\x%02x", c);
        i += k ? k : 1;
    }
}

/* An error, which may quote the image's files (image.ini's bad line). */
static void say_err(const md_err *err)
{
    fputs("mkdom0 inspect: ", stderr);
    put_text((const unsigned char *)err->msg, strlen(err->msg), stderr);
    fputc('\n', stderr);
}

static int cat(const md_imgdir *d, md_imgdir_file f)
{
    unsigned char *data;
    size_t len;
    md_err err = MD_ERR_INIT;
    if (md_imgdir_read(d, f, &data, &len, &err) < 0) {
        say_err(&err);
        return -1;
    }
    printf("==> %s <==\n", md_imgdir_name(f));
    put_text(data, len, stdout);
    putchar('\n');
    free(data);
    return 0;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "default-spec", no_argument, NULL, 'd' }, { "bases", no_argument, NULL, 'l' },
        { "base-spec", required_argument, NULL, 'b' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, modes = 0;
    bool spec = false, list = false;
    const char *base = NULL;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': spec = true; modes++; break;
        case 'l': list = true; modes++; break;
        case 'b': base = optarg; modes++; break;
        case 'h': usage(stdout); return MD_EXIT_OK;
        default: usage(stderr); return MD_EXIT_USAGE;
        }
    }
    if (modes > 1 || (modes && optind != argc) || (!modes && argc - optind != 1)) {
        usage(stderr);
        return MD_EXIT_USAGE;
    }
    if (spec) {
        fputs(md_spec_default_text(), stdout);
        return MD_EXIT_OK;
    }
    if (list) {
        for (size_t i = 0; i < md_spec_base_count(); i++)
            printf("%-10s %s\n", md_spec_base_at(i)->name, md_spec_base_at(i)->about);
        return MD_EXIT_OK;
    }
    if (base) {
        const md_spec_base *b = md_spec_base_find(base);
        if (!b) {
            fprintf(stderr, "mkdom0 inspect: --base-spec %s: no such base (mkdom0 inspect "
                            "--bases lists them)\n", base);
            return MD_EXIT_USAGE;
        }
        fputs(b->text, stdout);
        return MD_EXIT_OK;
    }
    md_err err = MD_ERR_INIT;
    md_imgdir *d = md_imgdir_open(argv[optind], &err);
    if (!d) {
        say_err(&err);
        return MD_EXIT_FAIL;
    }
    int r = cat(d, MD_IMGDIR_INI) < 0 || cat(d, MD_IMGDIR_MANIFEST) < 0 ||
            cat(d, MD_IMGDIR_SIZE_REPORT) < 0;
    if (!r && md_imgdir_verify(d, &err) < 0) {
        say_err(&err);
        r = 1;
    } else if (!r) {
        printf("==> verified <==\nthe rootfs has the SHA-256 that image.ini records\n");
    }
    md_imgdir_free(d);
    return r ? MD_EXIT_FAIL : MD_EXIT_OK;
}

const struct md_app md_app_inspect = { "inspect", "show the embedded bases, or what an image holds", run };
