/* golden-common.h: the golden cases, shared by the three golden test programs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A case is cases/NAME.xml (a domain definition) and cases/NAME.args (the argv
 * hangar_qemu_build_argv() must give for it, one element a line). Leading XML
 * comments carry settings: `<!-- accel: kvm -->` in a case, `<!-- error: InvalidConfig -->`
 * and `<!-- message: … -->` in an invalid/ one. See README.md.
 */
#pragma once

#include <glib.h>

#include "hangar-domain.h"
#include "hangar-qemu-argv.h"

G_BEGIN_DECLS

#define GOLDEN_QEMU_BINARY "qemu-system-x86_64"
#define GOLDEN_MONITOR_FD  3

typedef struct
{
  char  *name;      /* "minimal-pc" */
  char  *xml_path;
  char  *args_path;
  char  *xml;
  gsize  xml_length;
  char  *accel;     /* "tcg" unless the case says otherwise */
} GoldenCase;

void        golden_case_free         (GoldenCase          *golden);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GoldenCase, golden_case_free)

const char *golden_source_dir        (void);
const char *golden_tmp_dir           (void);
GPtrArray  *golden_list_cases        (const char          *folder);
GoldenCase *golden_case_load         (const char          *folder,
                                      const char          *name);
char       *golden_case_setting      (const char          *xml,
                                      const char          *key);
char       *golden_runtime_dir       (const char          *uuid);
char       *golden_nvram_path        (const char          *uuid);
GStrv       golden_build_argv        (HangarDomain        *domain,
                                      const char          *accel,
                                      const char          *runtime_dir,
                                      GError             **error);
gboolean    golden_lines_equal       (const char * const  *expected,
                                      const char * const  *actual,
                                      const char          *expected_label,
                                      const char          *actual_label,
                                      char               **out_diff);
void        golden_log_lines         (const char          *prefix,
                                      const char          *text);
void        golden_add_case_tests    (const char          *folder,
                                      const char          *prefix,
                                      GTestDataFunc        func);

G_END_DECLS
