/* rccache: OpenRC's prebuilt dependency cache goes into a tree only when the
 * tree has exactly the files the cache was made from. */
#define _XOPEN_SOURCE 700
#include <stdlib.h>
#include <unistd.h>
#include "image/rccache.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "t.h"
#include "tfiles.h"

#define EPOCH 1700000000

static void add(md_tree *t, const char *path, const char *text, int64_t mtime)
{
    md_attr a = { 0755, 0, 0, mtime };
    md_err e = MD_ERR_INIT;
    CHECK(md_tree_add_file(t, path, &a, (unsigned char *)md_xstrdup(text), strlen(text), "test",
                           MD_CLASH_REPLACE, &e) == 0);
}

/* The tree the cache was made from: merged /usr, as Debian's layout. */
static md_tree *made_from_at(int64_t rc_conf_mtime)
{
    md_tree *t = md_tree_new(true);
    add(t, "/lib/rc/sh/gendepends.sh", "gen\n", EPOCH - 100);
    add(t, "/etc/init.d/svc", "#!/sbin/openrc-run\ndepend() { need b; }\n", EPOCH);
    add(t, "/etc/conf.d/svc", "X=1\n", EPOCH);
    add(t, "/etc/rc.conf", "rc_parallel=YES\n", rc_conf_mtime);
    add(t, "/etc/other", "not OpenRC's\n", EPOCH);
    return t;
}

static md_tree *made_from(void) { return made_from_at(EPOCH); }

static void line(FILE *f, const char *path, const char *text)
{
    char sha[65];
    md_sha256_hex(text, strlen(text), sha);
    fprintf(f, "%s  %s\n", sha, path);
}

static void write_dir(const char *dir)
{
    char *p = md_xasprintf("%s/inputs", dir);
    FILE *f = fopen(p, "w");
    fputs("# comment\n", f);
    line(f, "/etc/conf.d/svc", "X=1\n");
    line(f, "/etc/init.d/svc", "#!/sbin/openrc-run\ndepend() { need b; }\n");
    line(f, "/etc/rc.conf", "rc_parallel=YES\n");
    line(f, "/lib/rc/sh/gendepends.sh", "gen\n");
    fclose(f);
    free(p);
    p = md_xasprintf("%s/deptree", dir);
    t_spit(p, "depinfo_0_service='svc'\n");
    free(p);
}

/* Run md_rccache_add on `t`; 1 when added, 0 when not (why in `why`). */
static int run(md_tree *t, const char *dir, char *why)
{
    md_err e = MD_ERR_INIT;
    bool added = true;
    int r = md_rccache_add(t, dir, EPOCH, &added, why, 256, &e);
    CHECK(r == 0);
    if (r < 0)
        fprintf(stderr, "%s\n", e.msg);
    return added;
}

static void test_match(const char *dir)
{
    md_tree *t = made_from();
    char why[256];
    CHECK(run(t, dir, why) == 1);
    char *dt = md_tree_text(t, "/lib/rc/cache/deptree", NULL);
    CHECK_STR(dt, "depinfo_0_service='svc'\n");
    free(dt);
    /* Where the image keeps it (merged /usr), not newer than the inputs:
     * OpenRC keeps a cache no input is newer than. */
    const md_node *n = md_tree_lookup(t, "/usr/lib/rc/cache/deptree");
    CHECK(n && md_node_attr(n)->mtime == EPOCH && md_node_attr(n)->mode == 0644);
    /* init.sh copies the cache only when softlevel is there. */
    CHECK(md_tree_resolve_file(t, "/lib/rc/cache/softlevel") != NULL);
    md_tree_free(t);
}

static void test_differs(const char *dir)
{
    char why[256];
    /* A service the cache does not know. */
    md_tree *t = made_from();
    add(t, "/etc/init.d/extra", "#!/sbin/openrc-run\n", EPOCH);
    CHECK(run(t, dir, why) == 0);
    CHECK(strstr(why, "/etc/init.d/extra") != NULL);
    CHECK(md_tree_lookup(t, "/usr/lib/rc/cache/deptree") == NULL);
    md_tree_free(t);
    /* A conf.d file with other settings (rc_need= there changes the deps). */
    t = made_from();
    add(t, "/etc/conf.d/svc", "rc_need=c\n", EPOCH);
    CHECK(run(t, dir, why) == 0);
    CHECK(strstr(why, "/etc/conf.d/svc") != NULL);
    md_tree_free(t);
    /* A listed file missing (a Drop= pattern took it). */
    t = made_from();
    md_tree_remove(t, "/etc/rc.conf");
    CHECK(run(t, dir, why) == 0);
    CHECK(strstr(why, "/etc/rc.conf") != NULL);
    md_tree_free(t);
    /* Another OpenRC. */
    t = made_from();
    add(t, "/lib/rc/sh/gendepends.sh", "gen 2\n", EPOCH);
    CHECK(run(t, dir, why) == 0);
    CHECK(strstr(why, "gendepends.sh") != NULL);
    md_tree_free(t);
    /* An input newer than the cache would be: OpenRC would remake it anyway. */
    t = made_from_at(EPOCH + 1);
    CHECK(run(t, dir, why) == 0);
    CHECK(strstr(why, "newer") != NULL);
    md_tree_free(t);
    /* No OpenRC at all. */
    t = md_tree_new(true);
    CHECK(run(t, dir, why) == 0);
    md_tree_free(t);
}

static void test_damaged(const char *tmp)
{
    char *dir = md_xasprintf("%s/bad", tmp), *p = md_xasprintf("%s/inputs", dir);
    mkdir(dir, 0755);
    md_tree *t = made_from();
    md_err e = MD_ERR_INIT;
    bool added = true;
    char why[64];
    /* No files at all: a damaged install, an error naming the file. */
    CHECK(md_rccache_add(t, dir, EPOCH, &added, why, sizeof why, &e) < 0);
    CHECK_ERR(&e, "bad/inputs");
    CHECK(!added);
    /* A line that is not sha256sum's. */
    t_spit(p, "abc /etc/rc.conf\n");
    char *dt = md_xasprintf("%s/deptree", dir);
    t_spit(dt, "x\n");
    md_err e2 = MD_ERR_INIT;
    CHECK(md_rccache_add(t, dir, EPOCH, &added, why, sizeof why, &e2) < 0);
    CHECK_ERR(&e2, "bad/inputs:1");
    CHECK(md_tree_lookup(t, "/usr/lib/rc/cache") == NULL);
    md_tree_free(t);
    free(dt);
    free(p);
    free(dir);
}

int main(void)
{
    char tmpl[] = "/tmp/test_rccache.XXXXXX";
    char *tmp = mkdtemp(tmpl);
    CHECK(tmp != NULL);
    if (!tmp)
        return t_done("test_rccache");
    write_dir(tmp);
    test_match(tmp);
    test_differs(tmp);
    test_damaged(tmp);
    t_rm_tree(tmp);
    return t_done("test_rccache");
}
