# bash completion for evalbias. The words come from the program itself
# (`evalbias help --words CMD [SUB]`, generated from the option tables that
# print --help), so the completion never drifts from the options.
_evalbias()
{
    local cur=${COMP_WORDS[COMP_CWORD]} words
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        words=$(evalbias help --words 2>/dev/null)
    elif [ "${COMP_WORDS[1]}" = lexicon ] && [ "$COMP_CWORD" -eq 2 ]; then
        words=$(evalbias help --words lexicon 2>/dev/null)
    elif [[ $cur == -* ]]; then
        if [ "${COMP_WORDS[1]}" = lexicon ]; then
            words=$(evalbias help --words lexicon "${COMP_WORDS[2]}" 2>/dev/null)
        else
            words=$(evalbias help --words "${COMP_WORDS[1]}" 2>/dev/null)
        fi
    else
        COMPREPLY=($(compgen -f -- "$cur"))
        return 0
    fi
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o filenames -F _evalbias evalbias
