/* outset.c - see outset.h. */
#define _GNU_SOURCE
#include "outset.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "outfile.h"

struct outset {
    char *dir;          /* as given, for messages */
    char *staging;      /* PARENT/.NAME.staging.XXXXXX */
    int dfd;            /* DIR, locked */
    struct strvec old;  /* the previous manifest's outputs */
    size_t slot;        /* in live[] */
};

/* ======================= Removal, async-signal-safe ======================= */

struct dirent64_raw {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Empty the folder open as fd: files, and (depth > 0) folders in it.
 * Only raw system calls, so a signal handler may call it. */
static void clear_fd(int fd, int depth)
{
    char buf[4096] __attribute__((aligned(8)));
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0)
            return;
        int removed = 0;
        for (long off = 0; off < n;) {
            struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
            off += d->d_reclen;
            const char *nm = d->d_name;
            if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
                continue;
            if (unlinkat(fd, nm, 0) == 0) {
                removed = 1;
            } else if ((errno == EISDIR || errno == EPERM) && depth > 0) {
                int sub = openat(fd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                             O_CLOEXEC);
                if (sub >= 0) {
                    clear_fd(sub, depth - 1);
                    close(sub);
                }
                if (unlinkat(fd, nm, AT_REMOVEDIR) == 0)
                    removed = 1;
            }
        }
        /* Entries moved under the cursor: read the folder again from the
         * start until a pass removes nothing. */
        if (removed)
            lseek(fd, 0, SEEK_SET);
        else
            return;
    }
}

/* Remove the folder path and what it holds (two levels). */
static void remove_tree(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        clear_fd(fd, 2);
        close(fd);
    }
    rmdir(path);
}

/* Staging folders open in this process, for outset_abort_all. */
#define LIVE_MAX 8
static char *volatile live[LIVE_MAX];

void outset_abort_all(void)
{
    outfile_abort_all();
    for (size_t i = 0; i < LIVE_MAX; i++) {
        char *p = live[i];
        if (p)
            remove_tree(p);
    }
}

/* ======================= The previous manifest ============================ */

/* Before manifests listed their outputs, a run wrote these. */
static const char *const legacy_outputs[] = {
    "excerpts.csv", "rates.csv", "comparisons.csv", "report.html",
    "tally.evalbias", "review.html", "review.csv", "review-key.csv",
    OUTSET_MANIFEST,
};

/* A name the manifest may list: relative, at most one folder deep, no
 * "." or ".." part. Anything else is never removed. */
static int safe_name(const char *s)
{
    if (!*s || *s == '/' || strlen(s) > 255)
        return 0;
    int slashes = 0;
    for (const char *p = s; *p; p++)
        slashes += *p == '/';
    if (slashes > 1 || s[strlen(s) - 1] == '/')
        return 0;
    for (const char *p = s; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        p += n + (e ? 1 : 0);
    }
    return 1;
}

/* The strings of the JSON array after key in s (names only: \" and \\
 * are the escapes our writer can produce). 0 when key is absent. */
static int json_names(const char *s, const char *key, struct strvec *out)
{
    const char *p = strstr(s, key);
    if (!p)
        return 0;
    p += strlen(key);
    while (*p == ' ' || *p == ':' || *p == '\n')
        p++;
    if (*p != '[')
        return 0;
    p++;
    struct buf b;
    buf_init(&b);
    while (*p && *p != ']') {
        if (*p != '"') {
            p++;
            continue;
        }
        buf_clear(&b);
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && p[1])
                p++;
            buf_putc(&b, *p);
        }
        if (*p == '"')
            p++;
        if (safe_name(buf_cstr(&b)))
            strvec_push(out, buf_cstr(&b));
    }
    buf_fini(&b);
    return 1;
}

/* DIR's manifest.json, if an evalbias run wrote it: 1 and its outputs
 * into out; 0 when there is none or it is not ours. */
static int read_manifest(int dfd, struct strvec *out)
{
    int fd = openat(dfd, OUTSET_MANIFEST, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size > 64 * 1024 * 1024) {
        close(fd);
        return 0;
    }
    char *s = xmalloc((size_t)st.st_size + 1);
    size_t n = 0;
    while (n < (size_t)st.st_size) {
        ssize_t r = read(fd, s + n, (size_t)st.st_size - n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    s[n] = '\0';
    close(fd);
    int ours = strncmp(s, "{\n  \"tool\": \"evalbias\"", 22) == 0;
    if (ours && !json_names(s, "\"outputs\"", out))
        for (size_t i = 0; i < sizeof legacy_outputs / sizeof *legacy_outputs;
             i++)
            strvec_push(out, legacy_outputs[i]);
    free(s);
    return ours;
}

/* ======================= Opening ========================================== */

/* A temporary name outfile makes: NAME.tmp.XXXXXX. */
static int is_tmp_name(const char *s)
{
    size_t n = strlen(s);
    return n > 11 && memcmp(s + n - 11, ".tmp.", 5) == 0;
}

/* Refuse a folder with entries unless its manifest is ours. */
static int check_folder(outset *o, struct diag *err)
{
    int fd = dup(o->dfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        diag_set(err, DIAG_ERROR, o->dir, 0, 0, "cannot read the output "
                 "folder: %s", strerror(errno));
        return -1;
    }
    rewinddir(d);
    char first[256] = "";
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (!n++)
            snprintf(first, sizeof first, "%s", e->d_name);
    }
    closedir(d);
    if (n == 0 || read_manifest(o->dfd, &o->old))
        return 0;
    diag_set(err, DIAG_ERROR, o->dir, 0, 0,
             "not an evalbias output folder: it holds \"%s\"%s but no "
             "manifest.json of an earlier evalbias run; give a new or empty "
             "folder (-o), so that no file of yours is mixed with or "
             "replaced by outputs", first,
             n > 1 ? " and other files" : "");
    return -1;
}

/* Staging folders of runs that died (a live run would hold the lock). */
static void remove_dead_staging(const char *parent, const char *name)
{
    DIR *d = opendir(parent);
    if (!d)
        return;
    struct buf prefix, path;
    buf_init(&prefix);
    buf_init(&path);
    buf_printf(&prefix, ".%s.staging.", name);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix.p, prefix.len) != 0 ||
            strlen(e->d_name) != prefix.len + 6)
            continue;
        buf_clear(&path);
        buf_printf(&path, "%s/%s", parent, e->d_name);
        remove_tree(buf_cstr(&path));
    }
    closedir(d);
    buf_fini(&prefix);
    buf_fini(&path);
}

static void outset_free(outset *o)
{
    for (size_t i = 0; i < LIVE_MAX; i++)
        if (live[i] == o->staging)
            live[i] = NULL;
    if (o->dfd >= 0)
        close(o->dfd); /* releases the lock */
    free(o->staging);
    free(o->dir);
    strvec_fini(&o->old);
    free(o);
}

outset *outset_open(const char *dir, struct diag *err)
{
    outset *o = xcalloc(1, sizeof *o);
    o->dir = xstrdup(dir);
    o->dfd = -1;
    o->slot = SIZE_MAX;
    /* Outputs hold excerpts of confidential evaluations: the folder is
     * private to the user. */
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        diag_set(err, DIAG_ERROR, dir, 0, 0,
                 "cannot create output folder: %s", strerror(errno));
        goto fail;
    }
    o->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (o->dfd < 0) {
        diag_set(err, DIAG_ERROR, dir, 0, 0, errno == ENOTDIR
                 ? "the output folder exists and is not a folder"
                 : "cannot open output folder: %s", strerror(errno));
        goto fail;
    }
    if (flock(o->dfd, LOCK_EX | LOCK_NB) != 0) {
        diag_set(err, DIAG_ERROR, dir, 0, 0, errno == EWOULDBLOCK
                 ? "another evalbias run is writing this output folder; "
                   "wait for it to finish or choose another folder (-o)"
                 : "cannot lock the output folder: %s", strerror(errno));
        goto fail;
    }
    if (check_folder(o, err) < 0)
        goto fail;
    char *real = realpath(dir, NULL);
    if (!real || strcmp(real, "/") == 0) {
        diag_set(err, DIAG_ERROR, dir, 0, 0, "cannot use as output folder: "
                 "%s", real ? "the root folder" : strerror(errno));
        free(real);
        goto fail;
    }
    char *slash = strrchr(real, '/');
    *slash = '\0';
    const char *parent = slash == real ? "/" : real, *name = slash + 1;
    remove_dead_staging(parent, name);
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "%s%s.%s.staging.XXXXXX", parent,
               slash == real ? "" : "/", name);
    o->staging = xstrdup(buf_cstr(&b));
    buf_fini(&b);
    free(real);
    if (!mkdtemp(o->staging)) { /* mode 0700 */
        diag_set(err, DIAG_ERROR, dir, 0, 0, "cannot create a staging folder "
                 "beside the output folder: %s", strerror(errno));
        free(o->staging);
        o->staging = NULL;
        goto fail;
    }
    for (size_t i = 0; i < LIVE_MAX; i++)
        if (!live[i]) {
            live[i] = o->staging;
            break;
        }
    return o;
fail:
    outset_free(o);
    return NULL;
}

const char *outset_dir(const outset *o)
{
    return o->staging;
}

/* ======================= Listing and publishing =========================== */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entries of folder path (prefix before each), temporary files left out;
 * with depth, the files of folders in it instead of the folders. */
static void list_dir(const char *path, const char *prefix, int depth,
                     struct strvec *out)
{
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    struct buf b, sub;
    buf_init(&b);
    buf_init(&sub);
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || strcmp(e->d_name, "..") == 0))
            continue;
        if (is_tmp_name(e->d_name))
            continue;
        buf_clear(&sub);
        buf_printf(&sub, "%s/%s", path, e->d_name);
        struct stat st;
        if (depth > 0 && lstat(buf_cstr(&sub), &st) == 0 &&
            S_ISDIR(st.st_mode)) {
            buf_clear(&b);
            buf_printf(&b, "%s%s/", prefix, e->d_name);
            list_dir(buf_cstr(&sub), buf_cstr(&b), depth - 1, out);
            continue;
        }
        buf_clear(&b);
        buf_printf(&b, "%s%s", prefix, e->d_name);
        strvec_push(out, buf_cstr(&b));
    }
    closedir(d);
    buf_fini(&b);
    buf_fini(&sub);
}

void outset_list(const outset *o, struct strvec *names)
{
    size_t from = names->n;
    list_dir(o->staging, "", 1, names);
    qsort(names->v + from, names->n - from, sizeof *names->v, cmp_str);
}

static int has(const struct strvec *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i], s) == 0)
            return 1;
    return 0;
}

/* Move one staged top-level entry into DIR. */
static int move_in(outset *o, int sfd, const char *name, struct diag *err)
{
    struct buf target;
    buf_init(&target);
    buf_printf(&target, "%s/%s", o->dir, name);
    int rc = outfile_check(buf_cstr(&target), err);
    struct stat ss, ts;
    if (rc == 0 && fstatat(sfd, name, &ss, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISDIR(ss.st_mode) &&
        fstatat(o->dfd, name, &ts, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISDIR(ts.st_mode)) {
        /* A folder of the set (review/): swap it whole, then remove the
         * old one, now in the staging folder. */
        if (syscall(SYS_renameat2, sfd, name, o->dfd, name,
                    RENAME_EXCHANGE) != 0) {
            diag_set(err, DIAG_ERROR, buf_cstr(&target), 0, 0,
                     "cannot replace the folder: %s", strerror(errno));
            rc = -1;
        }
    } else if (rc == 0 && renameat(sfd, name, o->dfd, name) != 0) {
        diag_set(err, DIAG_ERROR, buf_cstr(&target), 0, 0,
                 "cannot move the output into place: %s", strerror(errno));
        rc = -1;
    }
    buf_fini(&target);
    return rc;
}

/* Files the previous set listed and this one does not have; and the
 * temporary files older versions left beside a listed output. */
static void remove_stale(outset *o, const struct strvec *now)
{
    for (size_t i = 0; i < o->old.n; i++) {
        const char *nm = o->old.v[i];
        if (has(now, nm) || strcmp(nm, OUTSET_MANIFEST) == 0)
            continue;
        if (unlinkat(o->dfd, nm, 0) == 0 || errno == ENOENT) {
            const char *sl = strchr(nm, '/');
            if (sl) { /* its folder too, once empty */
                char *dn = xstrndup(nm, (size_t)(sl - nm));
                unlinkat(o->dfd, dn, AT_REMOVEDIR);
                free(dn);
            }
        }
    }
    int fd = dup(o->dfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    rewinddir(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (!is_tmp_name(e->d_name))
            continue;
        char *base = xstrndup(e->d_name, n - 11);
        if (has(&o->old, base))
            unlinkat(o->dfd, e->d_name, 0);
        free(base);
    }
    closedir(d);
}

int outset_publish(outset *o, struct diag *err)
{
    /* No SIGINT/SIGTERM between the first rename and the manifest's. */
    sigset_t block, saved;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &saved);
    struct strvec now = {0}, top = {0};
    outset_list(o, &now);
    list_dir(o->staging, "", 0, &top);
    int rc = 0;
    int sfd = open(o->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (sfd < 0) {
        diag_set(err, DIAG_ERROR, o->staging, 0, 0, "cannot open the staging "
                 "folder: %s", strerror(errno));
        rc = -1;
    }
    int manifest = 0;
    for (size_t i = 0; rc == 0 && i < top.n; i++) {
        if (strcmp(top.v[i], OUTSET_MANIFEST) == 0)
            manifest = 1;
        else
            rc = move_in(o, sfd, top.v[i], err);
    }
    if (rc == 0)
        remove_stale(o, &now);
    if (rc == 0 && manifest)
        rc = move_in(o, sfd, OUTSET_MANIFEST, err);
    if (rc == 0 && fsync(o->dfd) != 0 && errno != EINVAL) {
        diag_set(err, DIAG_ERROR, o->dir, 0, 0, "cannot sync the output "
                 "folder: %s", strerror(errno));
        rc = -1;
    }
    if (sfd >= 0)
        close(sfd);
    remove_tree(o->staging); /* an exchanged old folder, temporaries */
    strvec_fini(&now);
    strvec_fini(&top);
    outset_free(o);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return rc;
}

void outset_abort(outset *o)
{
    if (!o)
        return;
    remove_tree(o->staging);
    outset_free(o);
}

int outset_holds(const char *dir, const char *path)
{
    struct stat ds, ps;
    if (stat(dir, &ds) != 0 || stat(path, &ps) != 0)
        return 0;
    if (ds.st_dev == ps.st_dev && ds.st_ino == ps.st_ino)
        return 1;
    char *copy = xstrdup(path), *sl = strrchr(copy, '/');
    int in = 0;
    if (sl) {
        *sl = '\0';
        in = stat(sl == copy ? "/" : copy, &ps) == 0 &&
             ds.st_dev == ps.st_dev && ds.st_ino == ps.st_ino;
    } else {
        in = stat(".", &ps) == 0 && ds.st_dev == ps.st_dev &&
             ds.st_ino == ps.st_ino;
    }
    free(copy);
    return in;
}
