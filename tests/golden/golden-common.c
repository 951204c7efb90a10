/* golden-common.c: the golden cases, shared by the three golden test programs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-golden"

#include "config.h"

#include <string.h>

#include "golden-common.h"

void
golden_case_free (GoldenCase *golden)
{
  g_free (golden->name);
  g_free (golden->xml_path);
  g_free (golden->args_path);
  g_free (golden->xml);
  g_free (golden->accel);
  g_free (golden);
}

/* The folder holding cases/ and invalid/: the source folder, given by meson. */
const char *
golden_source_dir (void)
{
  const char *dir = g_getenv ("HANGAR_GOLDEN_DIR");

  if (dir == NULL || *dir == '\0')
    g_error ("HANGAR_GOLDEN_DIR is not set: run the golden tests through meson test");
  return dir;
}

/* A folder on a real disk (not tmpfs: O_DIRECT must work) for scratch files. */
const char *
golden_tmp_dir (void)
{
  const char *dir = g_getenv ("HANGAR_GOLDEN_TMPDIR");

  return dir != NULL && *dir != '\0' ? dir : g_get_tmp_dir ();
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * golden_list_cases:
 * @folder: "cases" or "invalid"
 *
 * Returns: (transfer full): the sorted names of the folder's NAME.xml files.
 */
GPtrArray *
golden_list_cases (const char *folder)
{
  g_autofree char *path = g_build_filename (golden_source_dir (), folder, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (entry, ".xml"))
      g_ptr_array_add (names, g_strndup (entry, strlen (entry) - strlen (".xml")));
  g_ptr_array_sort (names, compare_strings);
  return names;
}

/**
 * golden_case_setting:
 * @key: "accel", "error", "message"
 *
 * Reads `<!-- KEY: VALUE -->` from the comments before the root element.
 *
 * Returns: (transfer full) (nullable): the value, stripped.
 */
char *
golden_case_setting (const char *xml,
                     const char *key)
{
  g_autofree char *opening = g_strdup_printf ("<!-- %s:", key);
  const char *p = xml;

  for (;;)
    {
      const char *end;

      while (g_ascii_isspace (*p))
        p++;
      if (g_str_has_prefix (p, "<?"))
        {
          end = strstr (p, "?>");
          if (end == NULL)
            return NULL;
          p = end + 2;
          continue;
        }
      if (!g_str_has_prefix (p, "<!--"))
        return NULL;
      end = strstr (p, "-->");
      if (end == NULL)
        return NULL;
      if (g_str_has_prefix (p, opening))
        {
          const char *start = p + strlen (opening);

          return g_strstrip (g_strndup (start, end - start));
        }
      p = end + 3;
    }
}

GoldenCase *
golden_case_load (const char *folder,
                  const char *name)
{
  g_autoptr(GoldenCase) golden = g_new0 (GoldenCase, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml_name = g_strconcat (name, ".xml", NULL);
  g_autofree char *args_name = g_strconcat (name, ".args", NULL);

  golden->name = g_strdup (name);
  golden->xml_path = g_build_filename (golden_source_dir (), folder, xml_name, NULL);
  golden->args_path = g_build_filename (golden_source_dir (), folder, args_name, NULL);
  g_file_get_contents (golden->xml_path, &golden->xml, &golden->xml_length, &error);
  g_assert_no_error (error);
  golden->accel = golden_case_setting (golden->xml, "accel");
  if (golden->accel == NULL)
    golden->accel = g_strdup ("tcg");
  return g_steal_pointer (&golden);
}

/* The runtime folder the engine would give the machine (uid 1000, as in the cases). */
char *
golden_runtime_dir (const char *uuid)
{
  return g_build_filename ("/run/user/1000/hangar", uuid, NULL);
}

/* The UEFI variable store the engine would give a machine whose <nvram> names none. */
char *
golden_nvram_path (const char *uuid)
{
  return g_strdup_printf ("/home/user/.local/share/hangar/machines/%s/VARS.fd", uuid);
}

GStrv
golden_build_argv (HangarDomain  *domain,
                   const char    *accel,
                   const char    *runtime_dir,
                   GError       **error)
{
  g_autofree char *nvram = golden_nvram_path (hangar_domain_get_uuid (domain));
  HangarQemuContext ctx = {
    .qemu_binary = GOLDEN_QEMU_BINARY,
    .accel = accel,
    .runtime_dir = runtime_dir,
    .monitor_fd = GOLDEN_MONITOR_FD,
    .nvram_path = nvram,
  };

  return hangar_qemu_build_argv (hangar_domain_get_def (domain), &ctx, error);
}

/* ---- a unified diff of two lists of lines ------------------------------------ */

typedef struct
{
  char  kind;  /* ' ', '-' or '+' */
  guint a;     /* index in the expected lines before this step */
  guint b;     /* index in the actual lines before this step */
} DiffStep;

#define DIFF_CONTEXT 3

static void
append_hunk (GString                *out,
             const DiffStep         *steps,
             guint                   first,
             guint                   last,
             const char * const     *a,
             const char * const     *b)
{
  guint a_count = 0, b_count = 0;

  for (guint k = first; k <= last; k++)
    {
      a_count += steps[k].kind != '+';
      b_count += steps[k].kind != '-';
    }
  g_string_append_printf (out, "@@ -%u,%u +%u,%u @@\n",
                          steps[first].a + (a_count > 0), a_count,
                          steps[first].b + (b_count > 0), b_count);
  for (guint k = first; k <= last; k++)
    g_string_append_printf (out, "%c%s\n", steps[k].kind,
                            steps[k].kind == '+' ? b[steps[k].b] : a[steps[k].a]);
}

/**
 * golden_lines_equal:
 * @out_diff: (out) (optional): a unified diff when the lists differ
 *
 * Returns: whether @expected and @actual hold the same lines.
 */
gboolean
golden_lines_equal (const char * const  *expected,
                    const char * const  *actual,
                    const char          *expected_label,
                    const char          *actual_label,
                    char               **out_diff)
{
  guint n = g_strv_length ((char **) expected);
  guint m = g_strv_length ((char **) actual);
  g_autofree guint *lcs = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autoptr(GString) out = NULL;
  const DiffStep *s;
  guint i = 0, j = 0;

  if (out_diff != NULL)
    *out_diff = NULL;
  if (g_strv_equal (expected, actual))
    return TRUE;
  if (out_diff == NULL)
    return FALSE;

  /* lcs[i * (m + 1) + j]: the longest common subsequence of expected[i..] and actual[j..]. */
  lcs = g_new0 (guint, (n + 1) * (m + 1));
  for (guint ii = n; ii-- > 0;)
    for (guint jj = m; jj-- > 0;)
      lcs[ii * (m + 1) + jj] = strcmp (expected[ii], actual[jj]) == 0 ?
                               lcs[(ii + 1) * (m + 1) + jj + 1] + 1 :
                               MAX (lcs[(ii + 1) * (m + 1) + jj], lcs[ii * (m + 1) + jj + 1]);

  steps = g_array_new (FALSE, FALSE, sizeof (DiffStep));
  while (i < n || j < m)
    {
      DiffStep step = { .a = i, .b = j };

      if (i < n && j < m && strcmp (expected[i], actual[j]) == 0)
        {
          step.kind = ' ';
          i++, j++;
        }
      else if (i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]))
        {
          step.kind = '-';
          i++;
        }
      else
        {
          step.kind = '+';
          j++;
        }
      g_array_append_val (steps, step);
    }

  out = g_string_new (NULL);
  g_string_append_printf (out, "--- %s\n+++ %s\n", expected_label, actual_label);
  s = (const DiffStep *) steps->data;
  for (guint k = 0; k < steps->len;)
    {
      guint first, last;

      if (s[k].kind == ' ')
        {
          k++;
          continue;
        }
      /* A hunk: this change, and every later one fewer than 2×context equal lines on. */
      first = k >= DIFF_CONTEXT ? k - DIFF_CONTEXT : 0;
      last = k;
      for (guint q = k + 1; q < steps->len && q <= last + 2 * DIFF_CONTEXT; q++)
        if (s[q].kind != ' ')
          last = q;
      k = last + 1;
      last = MIN (last + DIFF_CONTEXT, steps->len - 1);
      append_hunk (out, s, first, last, expected, actual);
    }
  *out_diff = g_string_free (g_steal_pointer (&out), FALSE);
  return FALSE;
}

/* Logs @text line by line, so that each is a TAP comment of its own. */
void
golden_log_lines (const char *prefix,
                  const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_test_message ("%s%s", prefix, lines[i]);
}

/* ---- registering one test per case --------------------------------------------- */

/**
 * golden_add_case_tests:
 * @prefix: "/hangar/golden/argv"
 *
 * Adds the test PREFIX/NAME for every case in @folder; @func gets the name.
 */
void
golden_add_case_tests (const char    *folder,
                       const char    *prefix,
                       GTestDataFunc  func)
{
  g_autoptr(GPtrArray) names = golden_list_cases (folder);

  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_strdup_printf ("%s/%s", prefix, name);

      g_test_add_data_func_full (path, g_strdup (name), func, g_free);
    }
}
